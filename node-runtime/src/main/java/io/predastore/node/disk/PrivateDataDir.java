package io.predastore.node.disk;

import io.predastore.node.jobs.BackgroundJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node's data directory private while the node runs: the directory and everything in it owner-only.
 *
 * <p>On open it narrows what is there: the whole tree the first time (a data directory from an older version, or
 * copied in), afterwards everything but the bulk directories, whose files the node always creates owner-only.
 * If the process umask lets group or others read new files (the JVM cannot change it; the launchers set 077),
 * files that RocksDB and Ratis create would be wider than owner-only, though unreachable inside the owner-only
 * directory: the node then says so once and narrows them every {@value #RETIGHTEN_SECONDS} s. Close once.
 */
public final class PrivateDataDir implements AutoCloseable {
    /** How often files created under a permissive umask are narrowed. */
    static final long RETIGHTEN_SECONDS = 30;
    /** Present once the whole tree has been narrowed by this version. */
    static final String MARKER = ".owner-only";

    private static final Logger LOG = LoggerFactory.getLogger(PrivateDataDir.class);

    private final ScheduledExecutorService timer;

    private PrivateDataDir(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /**
     * Narrows {@code dataDir} as described above.
     *
     * @param bulk directories (relative to {@code dataDir}) of files the node creates owner-only itself
     * @throws IOException if permissions cannot be read or set
     */
    public static PrivateDataDir open(Path dataDir, Set<Path> bulk) throws IOException {
        Path marker = dataDir.resolve(MARKER);
        if (!OwnerOnly.posix(dataDir)) {
            return new PrivateDataDir(null);
        }
        if (Files.exists(marker)) {
            OwnerOnly.tighten(dataDir, bulk);
        } else {
            int narrowed = OwnerOnly.tighten(dataDir);
            if (narrowed > 0) {
                LOG.info("made {} files and directories in {} readable by their owner only", narrowed, dataDir);
            }
            OwnerOnly.writeAtomically(marker, "owner-only since this version\n".getBytes(StandardCharsets.UTF_8));
        }
        if (!OwnerOnly.umaskIsPermissive(dataDir)) {
            return new PrivateDataDir(null);
        }
        LOG.warn("the process umask lets group and others read new files; {} is owner-only, so they cannot reach "
                + "them, and the node narrows the files its libraries create every {} s. Start nodes with umask 077 "
                + "(bin/predastore-node and the cluster supervisor do) to create them owner-only from the start.",
                dataDir, RETIGHTEN_SECONDS);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "data-dir-permissions");
            t.setDaemon(true);
            return t;
        });
        new BackgroundJob("data-dir-permissions", java.time.Clock.systemUTC(), () -> {
            try {
                OwnerOnly.tighten(dataDir, bulk);
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot narrow the permissions in {}: {}", dataDir, e.toString());
            }
            return "tightened";
        }, null).schedule(timer, RETIGHTEN_SECONDS, RETIGHTEN_SECONDS, TimeUnit.SECONDS);
        return new PrivateDataDir(timer);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
