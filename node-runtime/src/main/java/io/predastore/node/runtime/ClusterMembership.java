package io.predastore.node.runtime;

import io.predastore.client.tls.Membership;
import io.predastore.node.admin.AdminRefusal;
import io.predastore.node.meta.MembershipMarkers;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaPeerConfig;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.meta.MetaVoters;
import io.predastore.node.meta.RaftMetadataStore;
import io.predastore.node.meta.RaftStatus;
import io.predastore.node.store.cluster.MemberSet;
import io.predastore.protocol.admin.AdminErrorCode;
import io.predastore.protocol.admin.AdminJson;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.MemberState;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's view of the cluster's replicated member list (docs/membership.md), and, on the metadata leader, the
 * steps that move members through their states.
 *
 * <p>The list is one record, {@link #KEY} in the {@code NODES} table, versioned by the ring epoch. Every node reads
 * it from its own replica each {@link #tick} and, when the epoch changed, swaps in what follows from it: the peers
 * its shard router talks to, the members its TLS trust and its Raft port admit, and the active and draining nodes
 * the backend places shards by. Until the record is read (or on a cluster created before it existed, until its
 * first leader writes epoch 1 from the cluster file), the cluster file's nodes are the members.
 *
 * <p>The leader also reconciles: it keeps the Raft configuration at the members (3 or 5 voters, the others
 * listeners; see {@link #raftRoles}), marks a joining member active once it follows the log, and a draining member
 * removed once no shard is left on it. Changes are conditional writes of the record (epoch {@code e} to
 * {@code e + 1}), so two operators or two leaders racing cannot both win. Thread-safe.
 */
final class ClusterMembership {
    /** The member list's key in the {@code NODES} table. */
    static final byte[] KEY = "members".getBytes(StandardCharsets.UTF_8);
    /** How recently a joining member must have answered the leader to count as following the log. */
    private static final Duration FOLLOWING = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);

    /** The leader's last stored protection report, if any: it says what is left on each draining node. */
    interface Reports {
        Optional<io.predastore.protocol.admin.ProtectionReport> latest() throws IOException;
    }

    /** What a change of the member list changes on this node. */
    interface Followers {
        /** The member list moved to a new epoch: adopt {@code members}. */
        void adopt(ClusterMembers members);

        /** This node was removed and has left the metadata group: stop it and delete its data. */
        void removed(ClusterMembers members);
    }

    private final ClusterConfig config;
    private final NodeConfig self;
    private final RaftMetadataStore meta;
    private final int width;
    private final Reports reports;
    /** Whether a member (by peer id) has been down long enough to be passed over when a listener is promoted. */
    private final Predicate<String> downForLong;
    private final DrainWatch drainWatch = new DrainWatch();
    private final Followers followers;
    private volatile ClusterMembers current;
    /** The Raft reconfiguration the leader has in flight, or null. */
    private CompletableFuture<Void> reconfiguring;
    private boolean removedHandled;

    /**
     * @param width the shards of one object (data + parity): a member is not removed when fewer active ones would
     *              remain
     * @param downForLong whether a member (by peer id) has been unreachable long enough that a live listener is
     *              preferred to it when one is promoted to take a removed voter's place
     */
    ClusterMembership(ClusterConfig config, NodeConfig self, RaftMetadataStore meta, int width, Reports reports,
            Predicate<String> downForLong, Followers followers) {
        this.downForLong = downForLong;
        this.config = config;
        this.self = self;
        this.meta = meta;
        this.width = width;
        this.reports = reports;
        this.followers = followers;
        this.current = fromConfig(config, 0);
    }

    /** The cluster file's nodes as a member list at {@code epoch}, all active. */
    static ClusterMembers fromConfig(ClusterConfig config, long epoch) {
        List<ClusterMember> members = new ArrayList<>();
        for (NodeConfig n : config.nodes()) {
            members.add(member(n, MemberState.ACTIVE));
        }
        return new ClusterMembers(epoch, members);
    }

    /** Node {@code n} of a cluster file as a member in {@code state}. */
    static ClusterMember member(NodeConfig n, MemberState state) {
        return new ClusterMember(MetaPeerConfig.peerIdOf(n.id()), n.host(), n.s3Port(), n.adminPort(), n.s3Tls(),
                n.adminTls(), n.raftPort(), n.shardPort(), state);
    }

    /** The member list as this node last read it (epoch 0: the cluster file's, before the first read). */
    ClusterMembers current() {
        return current;
    }

    /** The members the TLS trust admits: every member but removed ones. */
    Membership trustMembership() {
        ClusterMembers m = current;
        return m.epoch() == 0 ? Membership.of(config) : Membership.of(config.cluster(), m);
    }

    /** The members as the backend places shards. */
    MemberSet memberSet() {
        return memberSet(current);
    }

    static MemberSet memberSet(ClusterMembers members) {
        List<Integer> active = new ArrayList<>();
        List<Integer> draining = new ArrayList<>();
        for (ClusterMember m : members.members()) {
            if (m.state() == MemberState.ACTIVE) {
                active.add(nodeId(m));
            } else if (m.state() == MemberState.DRAINING) {
                draining.add(nodeId(m));
            }
        }
        return new MemberSet(members.epoch(), active, draining);
    }

    /** The node ids of the members that take part in the cluster (every state but removed). */
    static Set<Integer> inGroup(ClusterMembers members) {
        Set<Integer> ids = new TreeSet<>();
        for (ClusterMember m : members.members()) {
            if (m.state().inGroup()) {
                ids.add(nodeId(m));
            }
        }
        return ids;
    }

    static int nodeId(ClusterMember m) {
        return MetaPeerConfig.nodeIdOf(m.id());
    }

    /**
     * One round, run every second as a background job: reads the member list from this node's replica and adopts
     * a new epoch; on the leader, writes epoch 1 if there is no list yet and takes the members' next steps.
     *
     * @return what the round did, in a few words
     */
    synchronized String tick() throws IOException {
        Optional<byte[]> stored = meta.getLocal(MetaTable.NODES, KEY);
        boolean leads = meta.status().role() == RaftStatus.Role.LEADER;
        if (stored.isEmpty()) {
            if (!leads) {
                return "no member list yet";
            }
            ClusterMembers first = fromConfig(config, 1);
            if (meta.apply(new MetaBatch(List.of(new MetaBatch.Condition(MetaTable.NODES, KEY, null)),
                    List.of(new MetaBatch.Put(MetaTable.NODES, KEY, AdminJson.writeBytes(first)))))) {
                LOG.info("member list started at epoch 1 from the cluster file: {}", ids(first));
            }
            return "wrote epoch 1";
        }
        ClusterMembers read = AdminJson.read(stored.get(), ClusterMembers.class);
        if (read.epoch() != current.epoch()) {
            adopt(read);
        }
        if (MembershipMarkers.isJoining(self.dataDir())) {
            // The list arrived through the log or a snapshot: this node is in the group, and a restart must start
            // from its own log rather than wait to be added again.
            Files.deleteIfExists(MembershipMarkers.joinFile(self.dataDir()));
        }
        checkSelfRemoved(read);
        if (leads) {
            return reconcile(read);
        }
        return "epoch " + read.epoch();
    }

    private void adopt(ClusterMembers read) {
        LOG.info("member list at epoch {}: {}", read.epoch(), ids(read));
        Set<String> peers = new HashSet<>();
        for (int id : inGroup(read)) {
            peers.add(MetaPeerConfig.peerIdOf(id));
        }
        meta.admitPeers(peers);
        followers.adopt(read);
        // Last: a failure above leaves the epoch unadopted, so the next round tries again.
        current = read;
    }

    private void checkSelfRemoved(ClusterMembers read) throws IOException {
        Optional<ClusterMember> me = read.member(MetaPeerConfig.peerIdOf(self.id()));
        if (removedHandled || me.isEmpty() || me.get().state() != MemberState.REMOVED) {
            return;
        }
        RaftMetadataStore.GroupConfiguration conf = meta.groupConfiguration();
        String peer = MetaPeerConfig.peerIdOf(self.id());
        if (conf.voters().contains(peer) || conf.listeners().contains(peer)) {
            return; // the leader has not taken it out of the group yet
        }
        removedHandled = true;
        LOG.warn("node {} was removed from cluster {} at epoch {} and has left the metadata group; stopping and "
                + "deleting its data", self.id(), config.cluster(), read.epoch());
        followers.removed(read);
    }

    // ---- the leader's steps ----

    private String reconcile(ClusterMembers list) throws IOException {
        if (reconfiguring != null && !reconfiguring.isDone()) {
            return "epoch " + list.epoch() + ", metadata group changing";
        }
        RaftMetadataStore.GroupConfiguration conf = meta.groupConfiguration();
        if (!conf.stable()) {
            return "epoch " + list.epoch() + ", metadata group changing";
        }
        Roles wanted = raftRoles(list, conf, downForLong);
        if (!wanted.voters().equals(conf.voters()) || !wanted.listeners().equals(conf.listeners())) {
            LOG.info("metadata group: voters {} and listeners {} become voters {} and listeners {}", conf.voters(),
                    conf.listeners(), wanted.voters(), wanted.listeners());
            reconfiguring = meta.reconfigure(peers(list, wanted.voters()), peers(list, wanted.listeners()))
                    .whenComplete((ok, failure) -> {
                        if (failure != null) {
                            LOG.warn("changing the metadata group to voters {} and listeners {} failed, retried "
                                    + "next round: {}", wanted.voters(), wanted.listeners(), failure.toString());
                        }
                    });
            return "epoch " + list.epoch() + ", changing the metadata group";
        }
        // Joining members that follow the log become active.
        RaftStatus status = meta.status();
        for (ClusterMember m : list.inState(MemberState.JOINING)) {
            boolean inConf = conf.voters().contains(m.id()) || conf.listeners().contains(m.id());
            boolean following = status.followers().stream().anyMatch(f -> f.id().equals(m.id())
                    && f.matchIndex() > 0 && f.lastContact().compareTo(FOLLOWING) < 0);
            if (inConf && following) {
                change(list, l -> withState(l, m.id(), MemberState.ACTIVE), m.id() + " caught up: active");
                return "epoch " + list.epoch() + ", " + m.id() + " active";
            }
        }
        // Draining members with no shard left are removed.
        List<ClusterMember> draining = list.inState(MemberState.DRAINING);
        if (!draining.isEmpty()) {
            Optional<String> emptied = drainWatch.drained(list.epoch(), reports.latest().orElse(null));
            if (emptied.isPresent()) {
                change(list, l -> withState(l, emptied.get(), MemberState.REMOVED), emptied.get()
                        + " holds no shard: removed");
                return "epoch " + list.epoch() + ", " + emptied.get() + " removed";
            }
        }
        return "epoch " + list.epoch();
    }

    /**
     * Decides when a draining member is empty: when two protection passes in a row, both placing objects at the
     * current epoch, found nothing left on it. One pass is not enough: a write that chose its nodes before the member
     * started draining may commit its record after the pass walked past its key; the next pass, started after the
     * first ended, sees it. Not thread-safe (the membership round runs on one thread).
     */
    static final class DrainWatch {
        /** Per draining member, when the first report at {@link #epoch} that found nothing left on it was made. */
        private final Map<String, Long> emptySince = new HashMap<>();
        private long epoch = -1;

        /** The draining member found empty twice in a row at {@code current}, if any, given the latest report. */
        Optional<String> drained(long current, io.predastore.protocol.admin.ProtectionReport report) {
            if (current != epoch) {
                emptySince.clear();
                epoch = current;
            }
            if (report == null || report.rebalance() == null || report.rebalance().membersEpoch() != current) {
                return Optional.empty();
            }
            for (io.predastore.protocol.admin.DrainingNode n : report.rebalance().draining()) {
                if (!n.drained()) {
                    emptySince.remove(n.nodeId());
                    continue;
                }
                Long first = emptySince.putIfAbsent(n.nodeId(), report.computedAtMillis());
                if (first != null && first != report.computedAtMillis()) {
                    return Optional.of(n.nodeId());
                }
            }
            return Optional.empty();
        }
    }

    /** The Raft voters and listeners the members call for. */
    record Roles(List<String> voters, List<String> listeners) {
    }

    /**
     * Voters and listeners for {@code list}, given the current configuration: removed members leave the group,
     * joining members enter it as listeners, and the voters are kept at 5 (or 3, or fewer when the cluster is
     * smaller; never an even number above 1, which would need a larger majority without surviving more failures).
     * Current voters stay voters while they are members (a group formed from the cluster file already has at most
     * five, see {@link MetaVoters#initial}), and a voter that was removed is replaced by the active listener with the
     * lowest id.
     */
    static Roles raftRoles(ClusterMembers list, RaftMetadataStore.GroupConfiguration conf) {
        return raftRoles(list, conf, id -> false);
    }

    /**
     * As above, knowing which members have been down for a while ({@code down}): a listener that is down is promoted
     * only when no live one can be.
     */
    static Roles raftRoles(ClusterMembers list, RaftMetadataStore.GroupConfiguration conf,
            Predicate<String> down) {
        List<ClusterMember> group = list.members().stream().filter(m -> m.state().inGroup()).toList();
        long votable = group.stream().filter(m -> m.state() != MemberState.JOINING).count();
        int target = MetaVoters.target(votable);
        List<String> voters = new ArrayList<>();
        // Current voters keep their vote while they are members, whatever their state and however many there are:
        // changing a peer between voter and listener while nodes fail has left restarted peers unable to rejoin, so
        // the only role change is promoting a listener when voters were removed.
        for (ClusterMember m : sortedById(group)) {
            if (conf.voters().contains(m.id()) && m.state() != MemberState.JOINING) {
                voters.add(m.id());
            }
        }
        List<Predicate<ClusterMember>> promotions = List.of(
                m -> m.state() == MemberState.ACTIVE && !down.test(m.id()),
                m -> m.state() == MemberState.ACTIVE);
        for (Predicate<ClusterMember> preferred : promotions) {
            for (ClusterMember m : sortedById(group)) {
                if (voters.size() < target && preferred.test(m) && !voters.contains(m.id())) {
                    voters.add(m.id());
                }
            }
        }
        List<String> listeners = group.stream().map(ClusterMember::id).filter(id -> !voters.contains(id)).toList();
        return new Roles(voters.stream().sorted().toList(), listeners.stream().sorted().toList());
    }

    private static List<ClusterMember> sortedById(List<ClusterMember> members) {
        return members.stream().sorted((a, b) -> Integer.compare(nodeId(a), nodeId(b))).toList();
    }

    private static List<MetaPeerConfig> peers(ClusterMembers list, List<String> ids) {
        List<MetaPeerConfig> out = new ArrayList<>();
        for (String id : ids) {
            ClusterMember m = list.member(id).orElseThrow();
            out.add(new MetaPeerConfig(m.id(), m.host(), m.raftPort()));
        }
        return out;
    }

    // ---- operations (admin API) ----

    /**
     * Adds {@code member} to the cluster as joining. Its id must be new (removed members' ids are never reused), and
     * none of its addresses may be a member's.
     *
     * @throws AdminRefusal MemberExists if the id or an address is taken; BadRequest if the raft or shard port is
     *     missing
     */
    ClusterMembers add(ClusterMember member) throws IOException {
        if (member.raftPort() == null || member.shardPort() == null) {
            throw new AdminRefusal(AdminErrorCode.BAD_REQUEST, "A new member needs all four ports: s3Port, "
                    + "adminPort, raftPort and shardPort.");
        }
        try {
            MetaPeerConfig.nodeIdOf(member.id());
        } catch (IllegalArgumentException e) {
            throw new AdminRefusal(AdminErrorCode.BAD_REQUEST, "A member's id is node-<number>, not '" + member.id()
                    + "'.");
        }
        return change(null, list -> {
            if (list.member(member.id()).isPresent()) {
                throw new AdminRefusal(AdminErrorCode.MEMBER_EXISTS, member.id() + " is already a member ("
                        + list.member(member.id()).get().state().wireName() + "); ids are never reused, so give "
                        + "the new node the next free id.");
            }
            Map<String, String> taken = addresses(list);
            for (int port : ports(member)) {
                String owner = taken.get(Membership.endpointKey(member.host(), port));
                if (owner != null) {
                    throw new AdminRefusal(AdminErrorCode.MEMBER_EXISTS, member.host() + ":" + port + " is "
                            + owner + "'s address already; give the new node ports of its own.");
                }
            }
            List<ClusterMember> members = new ArrayList<>(list.members());
            members.add(member.withState(MemberState.JOINING));
            return new ClusterMembers(list.epoch() + 1, members);
        }, member.id() + " added: joining");
    }

    /**
     * Starts removing member {@code id}: it becomes draining, takes no new shards, and is removed once the
     * rebalancer has moved every shard off it.
     *
     * @throws AdminRefusal NoSuchKey if there is no such member; MembershipRefused if it is not active, or if fewer
     *     active members than one object's shards would remain
     */
    ClusterMembers drain(String id) throws IOException {
        return change(null, list -> {
            ClusterMember m = list.member(id).orElseThrow(() -> new AdminRefusal(AdminErrorCode.NO_SUCH_KEY,
                    "There is no member " + id + "; GET /admin/v1/members lists them."));
            if (m.state() == MemberState.DRAINING) {
                return list; // asked twice: already under way
            }
            Optional<String> refusal = list.removalRefusal(id, width);
            if (refusal.isPresent()) {
                String why = refusal.get();
                throw new AdminRefusal(AdminErrorCode.MEMBERSHIP_REFUSED,
                        Character.toUpperCase(why.charAt(0)) + why.substring(1) + ".");
            }
            return withState(list, id, MemberState.DRAINING);
        }, id + " draining");
    }

    /**
     * Applies {@code step} to the stored member list and writes the result conditionally on the list read, retrying
     * on a concurrent change; a step that returns the list unchanged writes nothing.
     *
     * @param known the list already read, or null to read it linearizably
     */
    private ClusterMembers change(ClusterMembers known, UnaryOperator<ClusterMembers> step, String what)
            throws IOException {
        for (int attempt = 0; attempt < 8; attempt++) {
            Optional<byte[]> raw = meta.get(MetaTable.NODES, KEY);
            if (raw.isEmpty()) {
                throw new AdminRefusal(AdminErrorCode.SERVICE_UNAVAILABLE, "The cluster has no member list yet (its "
                        + "metadata leader writes it within seconds of starting); retry shortly.");
            }
            ClusterMembers list = AdminJson.read(raw.get(), ClusterMembers.class);
            if (known != null && list.epoch() != known.epoch()) {
                return list; // changed meanwhile: the next round decides again
            }
            ClusterMembers next = step.apply(list);
            if (next == list) {
                return list;
            }
            if (next.epoch() == list.epoch()) {
                next = new ClusterMembers(list.epoch() + 1, next.members());
            }
            if (meta.apply(new MetaBatch(List.of(new MetaBatch.Condition(MetaTable.NODES, KEY, raw.get())),
                    List.of(new MetaBatch.Put(MetaTable.NODES, KEY, AdminJson.writeBytes(next)))))) {
                LOG.info("member list at epoch {}: {}", next.epoch(), what);
                return next;
            }
        }
        throw new AdminRefusal(AdminErrorCode.SERVICE_UNAVAILABLE, "The member list kept changing while " + what
                + " was being written; retry.");
    }

    private static ClusterMembers withState(ClusterMembers list, String id, MemberState state) {
        List<ClusterMember> members = new ArrayList<>();
        for (ClusterMember m : list.members()) {
            members.add(m.id().equals(id) ? m.withState(state) : m);
        }
        return new ClusterMembers(list.epoch() + 1, members);
    }

    private static Map<String, String> addresses(ClusterMembers list) {
        Map<String, String> taken = new HashMap<>();
        for (ClusterMember m : list.members()) {
            if (m.state().inGroup()) {
                for (int port : ports(m)) {
                    taken.put(Membership.endpointKey(m.host(), port), m.id());
                }
            }
        }
        return taken;
    }

    private static List<Integer> ports(ClusterMember m) {
        List<Integer> ports = new ArrayList<>(List.of(m.s3Port(), m.adminPort()));
        if (m.raftPort() != null) {
            ports.add(m.raftPort());
        }
        if (m.shardPort() != null) {
            ports.add(m.shardPort());
        }
        return ports;
    }

    private static String ids(ClusterMembers list) {
        StringBuilder b = new StringBuilder();
        for (ClusterMember m : list.members()) {
            b.append(b.length() == 0 ? "" : ", ").append(m.id()).append(' ').append(m.state().wireName());
        }
        return b.toString();
    }

    /** The data directory of the node, for the removal cleanup. */
    Path dataDir() {
        return self.dataDir();
    }
}
