package io.predastore.node.meta;

import io.predastore.node.jobs.BackgroundJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a peer that started with an empty Raft log (its disk was replaced or its data wiped) back into the group
 * while the same leader still leads.
 *
 * <p>Raft assumes a peer never loses what it acknowledged, and so does Ratis: the leader remembers how far each
 * follower's log matched and, after a wipe, goes on offering the wiped follower only what follows that point. The
 * empty log refuses it, and Ratis 3.3.0 never backs off below the index it believes matched while it has only
 * heartbeats to send, so the follower stays empty for as long as that leader leads. A new leader starts knowing
 * nothing of the followers and sends the whole log, or a snapshot once the log is purged.
 *
 * <p>So a peer that started empty, follows a known leader, and has still applied nothing after {@link #PATIENCE}
 * asks that leader, with a request sealed like every other, to hand leadership to another peer; again every
 * {@link #RETRY} until it has applied something. A fresh cluster's peers also start empty, but apply the first
 * leader's entry within moments, so they never ask. The leader decides with a {@link Handover}: only a peer of the
 * group may ask, for itself, and at most once per {@link Handover#SPACING}, so no peer can keep the group busy
 * electing. Leadership moves by a transfer, without waiting for an election timeout.
 *
 * <p>The Raft admin calls stay refused on the network ({@link RaftCallPolicy}); the leader transfers leadership
 * by calling its own server. Thread-safe; checks run on a daemon thread of their own.
 */
final class EmptyRejoin implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmptyRejoin.class);
    /** How long an empty follower waits for entries before it asks for a new leader. */
    static final Duration PATIENCE = Duration.ofSeconds(10);
    /** How long it waits between two requests. */
    static final Duration RETRY = Duration.ofSeconds(20);
    private static final Duration CHECK_EVERY = Duration.ofSeconds(2);
    private static final Pattern LOG_SEGMENT = Pattern.compile("log_(?:inprogress_)?\\d+(?:-\\d+)?");

    /** What the check needs of the peer. */
    interface Peer {
        /** This peer's Raft status. */
        RaftStatus status() throws IOException;

        /**
         * Asks {@code leaderId} to hand leadership to another peer; returns its answer, e.g. "handing leadership to
         * node-3" or why it would not.
         */
        String askForHandover(String leaderId) throws IOException;
    }

    private final Peer peer;
    private final String selfId;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private Instant emptySince;
    private String lastLeader;
    private Instant lastAsked;
    private boolean done;

    private EmptyRejoin(Peer peer, String selfId, Clock clock, boolean scheduled) {
        this.peer = peer;
        this.selfId = selfId;
        this.clock = clock;
        this.timer = scheduled ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "metadata-rejoin");
            t.setDaemon(true);
            return t;
        }) : null;
        if (timer != null) {
            // A failed request (no leader yet, a timeout) is recorded and logged by the job; the next check retries.
            new BackgroundJob("metadata-rejoin", clock, () -> {
                String asked = check();
                return asked == null ? "nothing to ask" : "asked " + asked + " for a handover";
            }, null).schedule(timer, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Watches a peer that started with no Raft log (see {@link #hasLog}), checking every couple of seconds. */
    static EmptyRejoin watch(Peer peer, String selfId) {
        return new EmptyRejoin(peer, selfId, Clock.systemUTC(), true);
    }

    /** A watch driven by calls to {@link #check()}, for tests. */
    static EmptyRejoin manual(Peer peer, String selfId, Clock clock) {
        return new EmptyRejoin(peer, selfId, clock, false);
    }

    /** Whether {@code raftDir} holds a Raft log segment anywhere below it. */
    static boolean hasLog(Path raftDir) throws IOException {
        if (!Files.isDirectory(raftDir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(raftDir)) {
            return files.anyMatch(p -> LOG_SEGMENT.matcher(p.getFileName().toString()).matches());
        }
    }

    /**
     * One check: asks the leader for a new one if this peer is an empty follower of a known leader past its
     * patience.
     *
     * @return the leader asked, or null if none was asked
     */
    synchronized String check() throws IOException {
        if (done) {
            return null;
        }
        RaftStatus s = peer.status();
        if (s.lastAppliedIndex() >= 0) {
            done = true;
            if (lastAsked != null) {
                LOG.info("{}: the metadata replica that started empty is catching up (applied index {})", selfId,
                        s.lastAppliedIndex());
            }
            return null;
        }
        Instant now = clock.instant();
        if (s.role() != RaftStatus.Role.FOLLOWER) {
            emptySince = null;
            return null;
        }
        // A follower whose log refuses the leader's entries forgets the leader between heartbeats now and then; the
        // last one it knew still leads.
        if (s.leaderId() != null) {
            lastLeader = s.leaderId();
        }
        if (lastLeader == null) {
            return null;
        }
        if (emptySince == null) {
            emptySince = now;
        }
        if (now.isBefore(emptySince.plus(PATIENCE)) || lastAsked != null && now.isBefore(lastAsked.plus(RETRY))) {
            return null;
        }
        lastAsked = now;
        LOG.warn("{}: this metadata replica started empty (a new or wiped disk) and leader {} has sent nothing it can"
                + " apply for {} s, as it still counts on what this peer held before; asking it to hand leadership to"
                + " another peer, whose leadership starts by sending this peer the whole log or a snapshot", selfId,
                lastLeader, Duration.between(emptySince, now).toSeconds());
        String answer = peer.askForHandover(lastLeader);
        LOG.info("{}: leader {} answered: {}", selfId, lastLeader, answer);
        return lastLeader;
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /**
     * The leader's side: whether to hand leadership over for a peer that asks, and to whom. Thread-safe.
     */
    static final class Handover {
        /** The least time between two handovers this leader grants. */
        static final Duration SPACING = Duration.ofSeconds(30);
        /** A follower not heard from for this long is no candidate to lead. */
        static final Duration RECENT_CONTACT = Duration.ofSeconds(5);

        private final String selfId;
        private final PeerSet peerIds;
        private final Clock clock;
        private Instant lastGranted;

        Handover(String selfId, Set<String> peerIds, Clock clock) {
            this(selfId, new PeerSet(peerIds), clock);
        }

        /** As above, with the group's peers as {@code peerIds} holds them when a request arrives. */
        Handover(String selfId, PeerSet peerIds, Clock clock) {
            this.selfId = selfId;
            this.peerIds = peerIds;
            this.clock = clock;
        }

        /** The verdict on a request: the peer to hand leadership to, or why not. */
        record Verdict(String target, String refusal) {
            static Verdict to(String target) {
                return new Verdict(target, null);
            }

            static Verdict refused(String why) {
                return new Verdict(null, why);
            }

            boolean granted() {
                return target != null;
            }
        }

        /**
         * Decides on a request from {@code asking} given this peer's status; a granted verdict counts towards
         * {@link #SPACING}.
         */
        synchronized Verdict decide(String asking, RaftStatus status) {
            if (status.role() != RaftStatus.Role.LEADER) {
                return Verdict.refused(selfId + " does not lead (leader: " + status.leaderId() + ")");
            }
            if (asking.equals(selfId) || !peerIds.contains(asking)) {
                return Verdict.refused(asking + " is no other peer of this group");
            }
            Instant now = clock.instant();
            if (lastGranted != null && now.isBefore(lastGranted.plus(SPACING))) {
                return Verdict.refused("leadership was handed over less than " + SPACING.toSeconds() + " s ago");
            }
            List<RaftStatus.FollowerStatus> candidates = status.followers().stream()
                    .filter(f -> !f.id().equals(asking) && f.matchIndex() >= 0)
                    .filter(f -> f.lastContact().compareTo(RECENT_CONTACT) < 0)
                    .sorted(Comparator.comparingLong(RaftStatus.FollowerStatus::matchIndex).reversed()
                            .thenComparing(RaftStatus.FollowerStatus::id))
                    .toList();
            Optional<RaftStatus.FollowerStatus> best = candidates.stream().findFirst();
            if (best.isEmpty()) {
                return Verdict.refused("no other peer is in contact and up to date enough to lead");
            }
            lastGranted = now;
            return Verdict.to(best.get().id());
        }
    }
}
