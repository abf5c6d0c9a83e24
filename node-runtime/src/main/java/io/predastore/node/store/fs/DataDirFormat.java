package io.predastore.node.store.fs;

import io.predastore.node.disk.NodeDisk;
import io.predastore.node.disk.OwnerOnly;
import io.predastore.node.meta.LocalMetadataStore;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.store.meta.RecordCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versions of a single node's data directory, and the migrations between them, run when the directory opens.
 * The version is in {@code <dataDir>/FORMAT}, written last by a migration, so a migration cut short by a crash runs
 * again (each step is idempotent).
 *
 * <ul>
 *   <li><b>1</b> (no {@code FORMAT} file, a {@code meta} database): the backend's own RocksDB tables and its own
 *       object and part record encodings ({@link FormatOneRecords}).</li>
 *   <li><b>2</b>: the metadata store every backend shares ({@link LocalMetadataStore} over the same tables as the
 *       cluster, plus the intents and garbage of blob files) and the shared record encoding
 *       ({@link RecordCodec}). Migrating from 1 opens the database in place (the tables it lacks are created) and
 *       rewrites every object and part record in the shared encoding.</li>
 * </ul>
 *
 * A directory of a newer format than this release knows is refused before anything in it is touched.
 */
final class DataDirFormat {
    /** The format this release writes. */
    static final int CURRENT = 2;
    static final String FILE = "FORMAT";
    private static final int REWRITE_BATCH = 256;
    private static final Pattern LINE = Pattern.compile("(?m)^format=(\\d{1,9})$");
    private static final Logger LOG = LoggerFactory.getLogger(DataDirFormat.class);

    private DataDirFormat() {
    }

    /**
     * Opens the metadata store of the data directory {@code dataDir} on {@code disk}, migrating an older format to
     * {@link #CURRENT} first. The caller closes the store, then the disk.
     */
    static LocalMetadataStore open(Path dataDir, NodeDisk disk, RecordCodec<BlobSegment> records) throws IOException {
        Path meta = dataDir.resolve("meta");
        int found = read(dataDir, meta);
        if (found > CURRENT) {
            throw new IOException("The data directory " + dataDir + " has format " + found + ", written by a newer "
                    + "release of Predastore than this one (which reads formats 1 to " + CURRENT + "); run that "
                    + "release or a later one on it.");
        }
        LocalMetadataStore store = LocalMetadataStore.openDurable(meta, disk);
        try {
            if (found < CURRENT) {
                if (found == 1) {
                    migrateFromOne(store, records, dataDir);
                }
                write(dataDir, CURRENT);
            }
            return store;
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The directory's format: its {@code FORMAT} file, else 1 if it has a database, else 0 (a new directory). */
    static int read(Path dataDir, Path meta) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Matcher m = LINE.matcher(text);
            if (!m.find()) {
                throw new IOException("The data directory's format file " + file + " does not say which format the "
                        + "directory has (a line format=N); it is damaged. Restore it, e.g. 'format=" + CURRENT
                        + "' if a release of this one's wrote the directory.");
            }
            return Integer.parseInt(m.group(1));
        }
        return Files.exists(meta.resolve("CURRENT")) ? 1 : 0;
    }

    static void write(Path dataDir, int format) throws IOException {
        String text = "# The format of this Predastore data directory; the node migrates it on start. Do not edit.\n"
                + "format=" + format + "\n";
        OwnerOnly.writeAtomically(dataDir.resolve(FILE), text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Rewrites every format-1 object and part record in the shared encoding, in batches; records already rewritten
     * (by a run a crash cut short) are skipped, and records that do not decode are left as they are (reads report
     * them, as before).
     */
    private static void migrateFromOne(LocalMetadataStore store, RecordCodec<BlobSegment> records, Path dataDir)
            throws IOException {
        long objects = rewrite(store, MetaTable.OBJECTS,
                v -> records.encodeObject(FormatOneRecords.decodeObject(v)));
        long parts = rewrite(store, MetaTable.PARTS, v -> records.encodePart(FormatOneRecords.decodePart(v)));
        LOG.info("Migrated data directory {} from format 1 to {}: rewrote {} object and {} part records", dataDir,
                CURRENT, objects, parts);
    }

    private interface Rewrite {
        byte[] apply(byte[] formatOne) throws IOException;
    }

    private static long rewrite(LocalMetadataStore store, MetaTable table, Rewrite rewrite) throws IOException {
        long rewritten = 0;
        long undecodable = 0;
        byte[] from = null;
        while (true) {
            List<MetaEntry> page = store.scan(table, new byte[0], from, REWRITE_BATCH);
            List<MetaBatch.Op> ops = new ArrayList<>();
            for (MetaEntry e : page) {
                if (!FormatOneRecords.isFormatOne(e.value())) {
                    continue;
                }
                try {
                    ops.add(new MetaBatch.Put(table, e.key(), rewrite.apply(e.value())));
                } catch (IOException | RuntimeException bad) {
                    undecodable++;
                }
            }
            if (!ops.isEmpty()) {
                store.apply(new MetaBatch(List.of(), ops));
                rewritten += ops.size();
            }
            if (page.size() < REWRITE_BATCH) {
                break;
            }
            byte[] last = page.get(page.size() - 1).key();
            from = Arrays.copyOf(last, last.length + 1);
        }
        if (undecodable > 0) {
            LOG.warn("{} records of table {} do not decode and were left as they were; reads of them fail and "
                    + "listings skip them", undecodable, table);
        }
        return rewritten;
    }
}
