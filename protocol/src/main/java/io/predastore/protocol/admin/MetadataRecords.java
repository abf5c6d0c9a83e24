package io.predastore.protocol.admin;

import java.util.List;

/**
 * {@code GET /admin/v1/records}: the metadata records this node found it cannot decode (listings skip them, reads
 * of them answer 500) and the repairs done through this node's admin API since it started.
 *
 * @param undecodableSeen how many times any undecodable record has been met since the node started
 * @param undecodable the records met, oldest first (at most a few hundred are remembered)
 * @param repairs the repairs done through this node, oldest first (the most recent hundred)
 */
public record MetadataRecords(long undecodableSeen, List<UndecodableRecord> undecodable, List<RecordRepair> repairs) {
    public MetadataRecords {
        Checks.nonNegative(undecodableSeen, "undecodableSeen");
        undecodable = Checks.list(undecodable, "undecodable");
        repairs = Checks.list(repairs, "repairs");
    }
}
