package io.predastore.node.admin;

import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.store.UndecodableRecords;
import io.predastore.protocol.admin.AdminErrorCode;
import io.predastore.protocol.admin.MetadataRecords;
import io.predastore.protocol.admin.RecordRepair;
import io.predastore.protocol.admin.UndecodableRecord;
import java.io.IOException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The repairs the admin API offers on the metadata tables, which are otherwise read-only through it: removing a
 * record that cannot be decoded, and nothing that could put a record the S3 path did not write in place. Every
 * repair is checked against the record as stored, applied only if the record is still those bytes, and recorded
 * in a {@link RepairLog}. Thread-safe.
 */
final class RecordRepairs {
    static final String REMOVE_UNDECODABLE = "remove-undecodable";

    private final Clock clock;
    private final RepairLog log = new RepairLog();

    RecordRepairs(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** What {@code GET /admin/v1/records} shows. */
    MetadataRecords view(UndecodableRecords undecodable) {
        List<UndecodableRecord> seen = undecodable.seen().stream().map(s -> new UndecodableRecord(s.table(),
                s.keyHex(), s.name(), s.reason(), s.firstSeen().toEpochMilli(), s.times())).toList();
        return new MetadataRecords(undecodable.total(), seen, log.recent());
    }

    /**
     * Removes the record at {@code key} of {@code table} if, and only if, it cannot be decoded.
     *
     * @return the repair done
     * @throws AdminRefusal 404 when there is no such record, 409 when it decodes or changed meanwhile
     * @throws IOException if the metadata cannot be read or written
     */
    RecordRepair removeUndecodable(AdminSources sources, MetaTable table, byte[] key, AdminAdmission.Admitted by)
            throws IOException {
        String tableName = table.name().toLowerCase(Locale.ROOT);
        String keyHex = HexFormat.of().formatHex(key);
        Optional<byte[]> value = sources.metadata().get(table, key);
        if (value.isEmpty()) {
            throw new AdminRefusal(AdminErrorCode.NO_SUCH_KEY, "There is no key " + keyHex
                    + " in table " + tableName + ".");
        }
        Optional<String> problem;
        try {
            problem = sources.recordProblem(table, key, value.get());
        } catch (IllegalArgumentException e) {
            throw new AdminRefusal(AdminErrorCode.BAD_REQUEST, "Records of table "
                    + tableName + " cannot be checked: " + e.getMessage() + ".");
        }
        if (problem.isEmpty()) {
            throw new AdminRefusal(AdminErrorCode.RECORD_DECODES, "The record at key "
                    + keyHex + " of table " + tableName + " decodes, so it is left alone: only records that "
                    + "cannot be decoded can be removed through the admin API; use S3 for everything else.");
        }
        MetaBatch remove = new MetaBatch(List.of(new MetaBatch.Condition(table, key, value.get())),
                List.of(new MetaBatch.Delete(table, key)));
        if (!sources.metadata().apply(remove)) {
            throw new AdminRefusal(AdminErrorCode.RECORD_CHANGED, "The record at key "
                    + keyHex + " of table " + tableName + " changed while it was being checked; look at it again.");
        }
        sources.undecodableRecords().forget(table, key);
        RecordRepair repair = new RecordRepair(clock.millis(), by.auth().accessKey(), by.client(), REMOVE_UNDECODABLE,
                tableName, keyHex, problem.get());
        log.add(repair);
        return repair;
    }
}
