package io.predastore.node.meta;

import io.predastore.node.disk.DiskBusyException;
import io.predastore.node.disk.NoSpace;
import io.predastore.node.disk.NodeDisk;
import io.predastore.protocol.http.ClientFaultLog;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft state machine: applies committed {@link MetaBatch} log entries to a {@link RocksMetaDb} and answers
 * get/scan queries from it.
 *
 * <p>The live database lives outside the Raft storage directory ({@code dbDir}); the state machine directory
 * ({@code <raft>/<group>/sm/}) holds only snapshots, each a RocksDB checkpoint in {@code snapshot.<term>_<index>/}.
 * Ratis ships those files to a lagging follower (whose log range the leader has purged) and replaces the follower's
 * {@code sm/} directory with them; {@link #reinitialize()} then rebuilds the live database from the newest one.
 *
 * <p>The position of the last applied entry is written in the same RocksDB write batch as the entry's effects, so
 * after a restart entries at or below it are skipped rather than applied twice.
 *
 * <h2>When the database cannot write</h2>
 * Ratis moves on to the next entry when an apply's future fails, so a failed apply would leave this peer's tables
 * without that entry for good while later ones land: the peers would diverge. So an apply never fails that way:
 * <ul>
 *   <li>when the disk is full (RocksDB stopped writing after a flush found no space), the apply waits, retrying
 *   after each of the disk's checks, until RocksDB has recovered (it does once space is freed). This peer's reads
 *   wait meanwhile (they need the applied index), the other peers carry on;</li>
 *   <li>any other storage failure stops this peer: the apply throws, which makes Ratis close it, and the node
 *   reports that it needs a restart. On restart the log is replayed from the last entry the database recorded.</li>
 * </ul>
 * While the peer shuts down, or once an apply has failed, an entry is given up instead (its future fails, nothing is
 * written, and nothing after it is either), since throwing at Ratis then would leave its closing updater spinning;
 * queries on such a peer are refused rather than answered from tables missing entries.
 * A Raft log that cannot be appended to (the disk filled under it) also stops the peer until a restart (Ratis
 * fails every later append); it is reported the same way. The free-space reserve is what keeps both from
 * happening.
 */
final class RocksStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(RocksStateMachine.class);
    private static final Pattern SNAPSHOT_NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
    private static final int SNAPSHOTS_KEPT = 2;
    /** What {@link #takeSnapshot()} returns when it took none. */
    private static final long NO_SNAPSHOT = -1;

    /** How long an apply waits for the disk's next check before trying again anyway. */
    private static final long SPACE_RETRY_MILLIS = 1000;

    private final Path dbDir;
    private final NodeDisk disk;
    private final RequestSeal seal;
    private final ClientFaultLog refusals = ClientFaultLog.of(LOG);
    private final CheckpointStorage storage = new CheckpointStorage();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicLong batchesApplied = new AtomicLong();
    private volatile RocksMetaDb db;
    /** Answers a handover request from the peer named (see {@link EmptyRejoin}). */
    private volatile java.util.function.UnaryOperator<String> handover = asking -> "refused: this peer is starting";
    /** Set when the peer shuts down: an apply waiting for space gives up so that shutdown is not held up. */
    private volatile boolean stopping;
    /** Set when an apply failed for good: nothing after it may be applied in this process. */
    private volatile boolean failed;
    /** Set when the group, not this node, shut this peer down: it then follows the log no more. */
    private volatile String shutDownByGroup;

    RocksStateMachine(Path dbDir, NodeDisk disk, RequestSeal seal) {
        this.dbDir = dbDir;
        this.disk = disk;
        this.seal = seal;
    }

    /**
     * On the leader, before anything is logged: only a write sealed with the cluster secret by a peer
     * ({@link RequestSeal}), and sent within the allowed clock skew, becomes a log entry. The entry keeps the seal
     * ({@link #SEALED_ENTRY} followed by the sealed request), and every peer checks it again before applying
     * ({@link #entryPayload}), so that not even a leader elected with a stolen node certificate can make the others
     * apply an entry of its own. A refused write fails at the client with the reason; nothing is replicated.
     */
    @Override
    public TransactionContext startTransaction(RaftClientRequest request) {
        TransactionContext.Builder trx = TransactionContext.newBuilder().setStateMachine(this)
                .setClientRequest(request);
        try {
            byte[] sealed = request.getMessage().getContent().toByteArray();
            seal.open(RequestSeal.Kind.WRITE, sealed);
            byte[] entry = new byte[sealed.length + 1];
            entry[0] = SEALED_ENTRY;
            System.arraycopy(sealed, 0, entry, 1, sealed.length);
            return trx.setLogData(UnsafeByteOperations.unsafeWrap(entry)).build();
        } catch (RequestSeal.RefusedException e) {
            refusals.warn("metadata write refused", request.getClientId(), e.getMessage());
            TransactionContext refused = trx.build();
            refused.setException(new IOException("metadata write refused: " + e.getMessage()));
            return refused;
        }
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        getLifeCycle().startAndTransition(this::load, IOException.class);
    }

    /** Opens the live database, first restoring it from the newest snapshot if that is ahead of it. */
    private void load() throws IOException {
        storage.refresh(); // sm/ may have just been replaced by a snapshot installed from the leader
        SnapshotInfo snapshot = storage.getLatestSnapshot();
        RocksMetaDb opened = Files.isDirectory(dbDir) ? openDb() : null;
        long appliedIndex = opened == null ? -1 : opened.applied().index();
        if (snapshot != null && snapshot.getIndex() > appliedIndex) {
            if (opened != null) {
                opened.close();
            }
            Path source = storage.snapshotDir(snapshot.getTermIndex());
            LOG.info("{}: restoring metadata from snapshot {} (database was at index {})", getId(), source,
                    appliedIndex);
            restore(source, dbDir);
            opened = openDb();
        } else if (opened == null) {
            opened = openDb();
        }
        db = opened;
        RocksMetaDb.Applied applied = opened.applied();
        if (applied.index() >= 0) {
            setLastAppliedTermIndex(TermIndex.valueOf(applied.term(), applied.index()));
        }
        LOG.info("{}: metadata database {} at applied index {}", getId(), dbDir, applied.index());
    }

    /** The live database; it keeps no WAL of its own, the Raft log being replayed after a crash. */
    private RocksMetaDb openDb() throws IOException {
        return RocksMetaDb.open(dbDir, RocksMetaDb.Recovery.REPLAYED_RAFT_LOG, disk);
    }

    /** Replaces {@code target} with a copy of the checkpoint in {@code source}. */
    private static void restore(Path source, Path target) throws IOException {
        deleteRecursively(target);
        Path tmp = target.resolveSibling(target.getFileName() + ".restoring");
        deleteRecursively(tmp);
        Files.createDirectories(tmp);
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, tmp.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void pause() {
        lock.writeLock().lock();
        try {
            if (getLifeCycleState() == LifeCycle.State.RUNNING) {
                getLifeCycle().transition(LifeCycle.State.PAUSING);
                getLifeCycle().transition(LifeCycle.State.PAUSED);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void reinitialize() throws IOException {
        lock.writeLock().lock();
        try {
            RocksMetaDb old = db;
            db = null;
            if (old != null) {
                old.close();
            }
            getLifeCycle().startAndTransition(this::load, IOException.class);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The first byte of a log entry that holds a write sealed with the cluster secret. Entries written before nodes
     * sealed them start with a {@link MetaBatchCodec} version or group byte instead, never this one.
     */
    static final byte SEALED_ENTRY = 'S';

    /**
     * The batches' bytes of a log entry, once its seal is checked. Every peer comes to the same verdict on the same
     * entry (it depends on the entry, the cluster secret and the database's {@code sealedLog} marker only), so a
     * refused entry is skipped alike everywhere and the peers never diverge.
     *
     * @param data      the entry's state machine data
     * @param sealedLog whether an entry sealed with the cluster secret was applied before this one
     * @throws RequestSeal.RefusedException if the entry is sealed but not with the cluster secret by a peer, or is
     *     not sealed although earlier entries were
     */
    static byte[] entryPayload(byte[] data, RequestSeal seal, boolean sealedLog) throws RequestSeal.RefusedException {
        if (data.length > 0 && data[0] == SEALED_ENTRY) {
            return seal.openLogged(java.util.Arrays.copyOfRange(data, 1, data.length));
        }
        if (sealedLog) {
            throw new RequestSeal.RefusedException("the entry is not sealed with the cluster secret, and entries "
                    + "before it were");
        }
        return data; // written before nodes sealed their writes
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        TermIndex ti = TermIndex.valueOf(entry);
        RocksMetaDb.Applied position = new RocksMetaDb.Applied(ti.getTerm(), ti.getIndex());
        byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
        boolean sealed = data.length > 0 && data[0] == SEALED_ENTRY;
        List<MetaBatch> batches;
        try {
            RocksMetaDb current = db;
            boolean sealedLog = !sealed && current != null && current.sealedLog();
            batches = MetaBatchCodec.decodeEntry(entryPayload(data, seal, sealedLog));
        } catch (IllegalArgumentException | RequestSeal.RefusedException | IOException e) {
            // Deterministic on every peer: an undecodable or unsealed entry writes nothing.
            if (e instanceof RequestSeal.RefusedException) {
                refusals.warn("metadata log entry refused", ti, e.getMessage());
            } else {
                LOG.warn("{}: skipping malformed metadata log entry {}: {}", getId(), ti, e.getMessage());
            }
            Object done;
            try {
                done = writeOrStop(ti, current -> {
                    current.markApplied(position);
                    return ti;
                });
            } catch (Abandoned a) {
                return CompletableFuture.failedFuture(a.getCause());
            }
            if (done == null) {
                return CompletableFuture.completedFuture(reply(MetaBatchCodec.NOT_APPLIED));
            }
            updateLastAppliedTermIndex(ti);
            return CompletableFuture.completedFuture(reply(MetaBatchCodec.MALFORMED));
        }
        List<ApplyOutcome> outcomes;
        try {
            outcomes = writeOrStop(ti, current -> current.applyAll(batches, position, sealed));
        } catch (Abandoned a) {
            return CompletableFuture.failedFuture(a.getCause());
        }
        if (outcomes == null) {
            // Already applied before a restart: its effects are in the database.
            return CompletableFuture.completedFuture(reply(MetaBatchCodec.NOT_APPLIED));
        }
        updateLastAppliedTermIndex(ti);
        byte[] codes = new byte[outcomes.size()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = MetaBatchCodec.replyCode(outcomes.get(i));
            if (outcomes.get(i).applied()) {
                batchesApplied.incrementAndGet();
            }
        }
        return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(codes)));
    }

    /** One write of an entry's effects to the database. */
    private interface EntryWrite<T> {
        T apply(RocksMetaDb current) throws IOException;
    }

    /**
     * Gives up an entry without writing it or throwing at Ratis: the peer is shutting down (a throw now would leave
     * Ratis's closing updater spinning), or an earlier entry failed. Nothing after it is written in this process,
     * so a restart replays it.
     */
    private static final class Abandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abandoned(IOException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /**
     * Runs {@code write} for the entry at {@code ti} unless it was applied before (then returns null). When the disk
     * is full it waits and retries (see the class comment); any other failure stops this peer by throwing, unless the
     * peer is shutting down or already failed, when it throws {@link Abandoned}.
     */
    private <T> T writeOrStop(TermIndex ti, EntryWrite<T> write) {
        boolean waiting = false;
        while (true) {
            IOException failure;
            lock.readLock().lock();
            try {
                RocksMetaDb current = db;
                if (current == null || failed) {
                    failed = true;
                    throw new Abandoned(new IOException("the metadata state machine stopped at an earlier entry "
                            + "or is closed; restart the node"));
                }
                TermIndex last = getLastAppliedTermIndex();
                if (last != null && ti.getIndex() <= last.getIndex()) {
                    return null;
                }
                T result = write.apply(current);
                if (waiting) {
                    LOG.info("{}: metadata database accepts writes again; applied {}", getId(), ti);
                }
                return result;
            } catch (IOException e) {
                failure = e;
            } finally {
                lock.readLock().unlock();
            }
            if (stopping) {
                failed = true;
                throw new Abandoned(failure);
            }
            if (DiskBusyException.in(failure) != null) {
                // Held back for a flush with space on the disk: the write itself waited; try again.
                if (!waiting) {
                    waiting = true;
                    LOG.warn("{}: metadata log entry {} waits for the database to write out its buffers ({})",
                            getId(), ti, failure.getMessage());
                }
                continue;
            }
            if (!NoSpace.isCause(failure)) {
                throw stopped(ti, failure);
            }
            if (!waiting) {
                waiting = true;
                LOG.error("{}: cannot apply metadata log entry {} ({}): the disk is full; waiting until the "
                        + "database accepts writes again (free space on this node)", getId(), ti,
                        failure.getMessage());
            }
            try {
                disk.awaitNextCheck(SPACE_RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw stopped(ti, failure);
            }
        }
    }

    /** Marks this state machine failed for good and says so; the exception thrown makes Ratis stop the peer. */
    private IllegalStateException stopped(TermIndex ti, IOException cause) {
        failed = true;
        String message = "could not apply metadata log entry " + ti + " (" + cause.getMessage() + "); this "
                + "node's metadata peer stopped so that it cannot diverge from the others. Restart the node: it "
                + "applies the entry again from the Raft log";
        disk.reportFailure("metadata state machine", message);
        return new IllegalStateException(message, cause);
    }

    /** Makes an apply that waits for space give up: the peer is shutting down. */
    void stopWaiting() {
        stopping = true;
    }

    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        // Configuration and leader no-op entries: record their position too so the applied index stays exact.
        if (db == null) {
            return; // closed, or being replaced by a snapshot that carries the position
        }
        TermIndex ti = TermIndex.valueOf(term, index);
        try {
            if (writeOrStop(ti, current -> {
                current.markApplied(new RocksMetaDb.Applied(term, index));
                return ti;
            }) == null) {
                return;
            }
        } catch (Abandoned a) {
            return; // not recorded: a restart replays it
        }
        super.notifyTermIndexUpdated(term, index);
    }

    /**
     * Ratis shuts a peer down on its own when the leader answers its vote request that it is no longer in the group;
     * the process goes on serving S3 but this peer follows the log no more. Said loudly here, since nothing else
     * would: every later local read names it.
     */
    @Override
    public void notifyServerShutdown(RoleInfoProto roleInfo, boolean allServer) {
        if (allServer || stopping) {
            return; // this node is stopping
        }
        String message = getId() + ": the metadata group shut this node's peer down (it was " + roleInfo.getRole()
                + " and the leader no longer counts it as a voter); it follows the metadata log no more. Restart the "
                + "node: it starts in the role the group's configuration gives it";
        shutDownByGroup = message;
        LOG.error(message);
    }

    @Override
    public void notifyLogFailed(Throwable cause, LogEntryProto failedEntry) {
        // Ratis fails every later append too: only a restart brings the log back.
        disk.reportFailure("Raft log", "could not append to the metadata Raft log ("
                + (cause == null ? "unknown error" : cause.getMessage()) + "); this node's metadata peer has "
                + "stopped. Free space on the disk if it is full, then restart the node");
    }

    private static Message reply(byte status) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(new byte[] {status}));
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        byte[] query;
        byte[] sealed = request.getContent().toByteArray();
        try {
            query = seal.open(RequestSeal.Kind.QUERY, sealed);
        } catch (RequestSeal.RefusedException e) {
            refusals.warn("metadata query refused", null, e.getMessage());
            return CompletableFuture.failedFuture(new IOException("metadata query refused: " + e.getMessage()));
        }
        try {
            String asking = MetaBatchCodec.handoverRequester(query);
            if (asking != null) {
                String answer = asking.equals(RequestSeal.senderOf(sealed)) ? handover.apply(asking)
                        : "refused: " + RequestSeal.senderOf(sealed) + " asked on behalf of " + asking;
                return CompletableFuture.completedFuture(Message.valueOf(answer));
            }
            return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(
                    answerLocally(query))));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Sets what answers a peer's request to hand leadership over. */
    void onHandoverRequest(java.util.function.UnaryOperator<String> answer) {
        this.handover = answer;
    }

    /**
     * Answers a query ({@link MetaBatchCodec} get or scan) from this peer's tables, for this node's own code: no
     * seal, since nothing crosses the network. What it returns may be behind the leader.
     */
    byte[] answerLocally(byte[] query) throws IOException {
        lock.readLock().lock();
        try {
            RocksMetaDb current = db;
            if (current == null) {
                String cause = shutDownByGroup;
                throw new IOException(cause != null ? cause : "metadata state machine is not open");
            }
            if (failed) {
                // Entries after the one that failed were not applied here: answering would be stale.
                throw new IOException("this node's metadata state machine stopped after a storage failure; "
                        + "restart the node, or read through another node");
            }
            return MetaBatchCodec.answer(query, current);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * A RocksDB integer property of this peer's tables (see {@link RocksMetaDb#longProperty}), or empty while the
     * database is closed or being replaced by a snapshot.
     */
    OptionalLong databaseProperty(String name) {
        lock.readLock().lock();
        try {
            RocksMetaDb current = db;
            return current == null ? OptionalLong.empty() : current.longProperty(name);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long takeSnapshot() throws IOException {
        lock.readLock().lock();
        try {
            RocksMetaDb current = db;
            if (current == null) {
                return NO_SNAPSHOT;
            }
            RocksMetaDb.Applied applied = current.applied();
            if (applied.index() < 0) {
                return NO_SNAPSHOT;
            }
            TermIndex ti = TermIndex.valueOf(applied.term(), applied.index());
            Path target = storage.snapshotDir(ti);
            if (!Files.exists(target)) {
                Path tmp = storage.tmpDir().resolve("checkpoint-" + applied.term() + "_" + applied.index());
                deleteRecursively(tmp);
                Files.createDirectories(tmp.getParent());
                current.checkpoint(tmp);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("{}: took metadata snapshot {}", getId(), target);
            }
            storage.refresh();
            storage.prune(SNAPSHOTS_KEPT);
            return applied.index();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return storage.getLatestSnapshot();
    }

    /** Batches whose operations were written since this state machine was created (for tests). */
    long batchesApplied() {
        return batchesApplied.get();
    }

    @Override
    public void close() throws IOException {
        lock.writeLock().lock();
        try {
            RocksMetaDb current = db;
            db = null;
            if (current != null) {
                current.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
        super.close();
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Snapshots as checkpoint directories {@code snapshot.<term>_<index>} in the Raft state machine directory. */
    private static final class CheckpointStorage implements StateMachineStorage {
        private volatile Path smDir;
        private volatile Path tmpDir;
        private volatile FileListSnapshotInfo latest;

        @Override
        public void init(RaftStorage raftStorage) throws IOException {
            smDir = raftStorage.getStorageDir().getStateMachineDir().toPath();
            tmpDir = raftStorage.getStorageDir().getTmpDir().toPath();
            Files.createDirectories(smDir);
            refresh();
        }

        Path snapshotDir(TermIndex ti) {
            return smDir.resolve("snapshot." + ti.getTerm() + "_" + ti.getIndex());
        }

        Path tmpDir() {
            return tmpDir;
        }

        private List<Path> snapshotsNewestFirst() throws IOException {
            List<Path> dirs = new ArrayList<>();
            if (smDir == null || !Files.isDirectory(smDir)) {
                return dirs;
            }
            try (Stream<Path> list = Files.list(smDir)) {
                list.filter(p -> SNAPSHOT_NAME.matcher(p.getFileName().toString()).matches())
                        .filter(Files::isDirectory).forEach(dirs::add);
            }
            dirs.sort(Comparator.comparingLong((Path p) -> termIndex(p).getIndex()).reversed());
            return dirs;
        }

        private static TermIndex termIndex(Path dir) {
            Matcher m = SNAPSHOT_NAME.matcher(dir.getFileName().toString());
            if (!m.matches()) {
                throw new IllegalArgumentException(dir.toString());
            }
            return TermIndex.valueOf(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
        }

        void refresh() throws IOException {
            List<Path> dirs = snapshotsNewestFirst();
            if (dirs.isEmpty()) {
                latest = null;
                return;
            }
            Path dir = dirs.get(0);
            List<FileInfo> files = new ArrayList<>();
            try (Stream<Path> list = Files.list(dir)) {
                for (Path f : (Iterable<Path>) list.sorted()::iterator) {
                    files.add(new FileInfo(f.toAbsolutePath(), null));
                }
            }
            latest = new FileListSnapshotInfo(files, termIndex(dir));
        }

        void prune(int keep) throws IOException {
            List<Path> dirs = snapshotsNewestFirst();
            for (int i = keep; i < dirs.size(); i++) {
                deleteRecursively(dirs.get(i));
            }
        }

        @Override
        public SnapshotInfo getLatestSnapshot() {
            if (latest == null) {
                // sm/ may have been replaced by an installed snapshot since the last look.
                try {
                    refresh();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return latest;
        }

        @Override
        public void format() {
        }

        @Override
        public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
            prune(Math.max(SNAPSHOTS_KEPT, policy.getNumSnapshotsRetained()));
        }

        @Override
        public File getSnapshotDir() {
            return smDir == null ? null : smDir.toFile();
        }

        @Override
        public File getTmpDir() {
            return tmpDir == null ? null : tmpDir.toFile();
        }
    }
}
