package io.predastore.protocol.ring;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Placement ring: consistent hashing with bounded loads over a fixed number of partitions.
 *
 * <p>An object's 64-bit hash selects partition {@code hash mod partitionCount} (unsigned). Each member places
 * {@code replicationFactor} virtual nodes on a ring of 2<sup>64</sup> positions. Partitions are assigned in order
 * 0..n-1: partition {@code p} sits at {@code xxHash64(p as 8 little-endian bytes)} and goes to the member of the
 * first virtual node at or after that position (wrapping), skipping members that already own
 * {@link #loadCap()} partitions. {@link #placement(long, int)} starts with the partition's owner and continues along
 * the ring from the partition's position, collecting distinct members.
 *
 * <p>Instances are immutable and therefore thread-safe; {@link #withMember} and {@link #withoutMember} return new
 * rings. The result depends only on the member set and the configuration, never on insertion order.
 */
public final class Ring {

    private static final Comparator<VirtualNode> RING_ORDER = Comparator
            .comparing(VirtualNode::token, Long::compareUnsigned)
            .thenComparing(VirtualNode::member)
            .thenComparingInt(VirtualNode::index);

    private final RingConfig config;
    private final List<Member> members;
    private final Map<Member, Integer> memberIndex;
    private final List<VirtualNode> virtualNodes;
    private final long[] tokens;
    private final int[] tokenOwner;
    private final long[] partitionPositions;
    private final int[] partitionStart;
    private final int[] partitionOwner;
    private final int[] loads;
    private final int loadCap;

    private Ring(List<Member> sortedMembers, RingConfig config) {
        this.config = config;
        this.members = List.copyOf(sortedMembers);
        this.memberIndex = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            memberIndex.put(members.get(i), i);
        }
        List<VirtualNode> nodes = new ArrayList<>(members.size() * config.replicationFactor());
        for (Member member : members) {
            for (int i = 0; i < config.replicationFactor(); i++) {
                nodes.add(new VirtualNode(member, i, virtualNodeToken(member, i)));
            }
        }
        nodes.sort(RING_ORDER);
        this.virtualNodes = List.copyOf(nodes);
        this.tokens = new long[nodes.size()];
        this.tokenOwner = new int[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            tokens[i] = nodes.get(i).token();
            tokenOwner[i] = memberIndex.get(nodes.get(i).member());
        }
        int partitions = config.partitionCount();
        this.partitionPositions = new long[partitions];
        this.partitionStart = new int[partitions];
        for (int p = 0; p < partitions; p++) {
            partitionPositions[p] = XxHash64.hashLongLittleEndian(p);
            partitionStart[p] = firstAtOrAfter(partitionPositions[p]);
        }
        this.loadCap = config.loadCap(members.size());
        this.loads = new int[members.size()];
        this.partitionOwner = BoundedLoads.assign(partitionStart, tokenOwner, loads, loadCap);
    }

    /**
     * Builds a ring.
     *
     * @param members the members; order does not matter
     * @param config partition count, virtual nodes per member and load factor
     * @return the ring
     * @throws NullPointerException if an argument or a member is null
     * @throws IllegalArgumentException if there are no members or two members share an id
     */
    public static Ring of(Collection<Member> members, RingConfig config) {
        Objects.requireNonNull(members, "members");
        Objects.requireNonNull(config, "config");
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a ring needs at least one member");
        }
        List<Member> sorted = new ArrayList<>(members.size());
        for (Member member : members) {
            sorted.add(Objects.requireNonNull(member, "member"));
        }
        Collections.sort(sorted);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).equals(sorted.get(i - 1))) {
                throw new IllegalArgumentException("duplicate member id: " + sorted.get(i).id());
            }
        }
        return new Ring(sorted, config);
    }

    /**
     * Builds a ring with {@link RingConfig#defaults()}.
     *
     * @param members the members; order does not matter
     * @return the ring
     * @throws NullPointerException if {@code members} or a member is null
     * @throws IllegalArgumentException if there are no members or two members share an id
     */
    public static Ring of(Collection<Member> members) {
        return of(members, RingConfig.defaults());
    }

    /**
     * Returns a ring with one more member and the same configuration.
     *
     * @param member the member to add
     * @return the new ring
     * @throws IllegalArgumentException if a member with that id is already present
     */
    public Ring withMember(Member member) {
        Objects.requireNonNull(member, "member");
        if (memberIndex.containsKey(member)) {
            throw new IllegalArgumentException("member already in the ring: " + member.id());
        }
        List<Member> next = new ArrayList<>(members);
        next.add(member);
        return of(next, config);
    }

    /**
     * Returns a ring without the given member and the same configuration.
     *
     * @param member the member to remove
     * @return the new ring
     * @throws IllegalArgumentException if the member is not in the ring or is the last member
     */
    public Ring withoutMember(Member member) {
        Objects.requireNonNull(member, "member");
        if (!memberIndex.containsKey(member)) {
            throw new IllegalArgumentException("member not in the ring: " + member.id());
        }
        if (members.size() == 1) {
            throw new IllegalArgumentException("cannot remove the last member: " + member.id());
        }
        List<Member> next = new ArrayList<>(members);
        next.remove(member);
        return of(next, config);
    }

    /**
     * Hashes an object identity, {@code bucket + "/" + key} encoded as UTF-8.
     *
     * @param bucket bucket name
     * @param key object key
     * @return the object's 64-bit hash
     */
    public static long hashObject(String bucket, String key) {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        return XxHash64.hash((bucket + "/" + key).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Hashes arbitrary identity bytes with xxHash64 (seed 0).
     *
     * @param identity bytes identifying the object
     * @return the object's 64-bit hash
     */
    public static long hashObject(byte[] identity) {
        return XxHash64.hash(Objects.requireNonNull(identity, "identity"));
    }

    /**
     * Maps a position on the ring to a fraction of the circle, for drawing.
     *
     * @param position an unsigned 64-bit ring position
     * @return a value in {@code [0, 1)}
     */
    public static double fractionOf(long position) {
        return (position >>> 11) * 0x1.0p-53;
    }

    /**
     * Returns the partition of an object hash: the hash, read as unsigned, modulo the partition count.
     *
     * @param hash the object's 64-bit hash
     * @return a partition in {@code [0, partitionCount)}
     */
    public int partitionOf(long hash) {
        return (int) Long.remainderUnsigned(hash, config.partitionCount());
    }

    /**
     * Returns {@code count} distinct members for an object; shard {@code i} goes to element {@code i}.
     *
     * <p>Element 0 is the owner of the object's partition; the rest follow the ring from the partition's position,
     * skipping members already listed. The result is the same for the same member set and configuration.
     *
     * @param hash the object's 64-bit hash
     * @param count number of distinct members wanted
     * @return an immutable list of {@code count} distinct members
     * @throws IllegalArgumentException if {@code count} is not positive or exceeds the member count
     */
    public List<Member> placement(long hash, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("placement count must be positive, got " + count);
        }
        if (count > members.size()) {
            throw new IllegalArgumentException("placement count " + count + " exceeds the member count "
                    + members.size());
        }
        int partition = partitionOf(hash);
        boolean[] taken = new boolean[members.size()];
        Member[] result = new Member[count];
        int owner = partitionOwner[partition];
        result[0] = members.get(owner);
        taken[owner] = true;
        int found = 1;
        int idx = partitionStart[partition];
        while (found < count) {
            int candidate = tokenOwner[idx];
            if (!taken[candidate]) {
                taken[candidate] = true;
                result[found++] = members.get(candidate);
            }
            idx = (idx + 1) % tokenOwner.length;
        }
        return List.of(result);
    }

    /**
     * Hashes identity bytes with {@link #hashObject(byte[])} and returns their placement.
     *
     * @param identity bytes identifying the object
     * @param count number of distinct members wanted
     * @return an immutable list of {@code count} distinct members
     * @throws IllegalArgumentException if {@code count} is not positive or exceeds the member count
     */
    public List<Member> placement(byte[] identity, int count) {
        return placement(hashObject(identity), count);
    }

    /**
     * Returns the member owning a partition.
     *
     * @param partition a partition in {@code [0, partitionCount)}
     * @return the owner
     * @throws IndexOutOfBoundsException if the partition is out of range
     */
    public Member ownerOf(int partition) {
        return members.get(partitionOwner[Objects.checkIndex(partition, partitionOwner.length)]);
    }

    /**
     * Returns the partition to owner table.
     *
     * @return an immutable list whose element {@code p} owns partition {@code p}
     */
    public List<Member> partitionOwners() {
        Member[] owners = new Member[partitionOwner.length];
        for (int p = 0; p < owners.length; p++) {
            owners[p] = members.get(partitionOwner[p]);
        }
        return List.of(owners);
    }

    /**
     * Returns where a partition sits on the ring.
     *
     * @param partition a partition in {@code [0, partitionCount)}
     * @return the unsigned 64-bit position
     * @throws IndexOutOfBoundsException if the partition is out of range
     */
    public long partitionPosition(int partition) {
        return partitionPositions[Objects.checkIndex(partition, partitionPositions.length)];
    }

    /**
     * Returns every virtual node in ring order (ascending unsigned token).
     *
     * @return an immutable list of {@code members * replicationFactor} nodes
     */
    public List<VirtualNode> virtualNodes() {
        return virtualNodes;
    }

    /**
     * Returns one member's virtual nodes in index order.
     *
     * @param member a member of this ring
     * @return an immutable list of {@code replicationFactor} nodes
     * @throws IllegalArgumentException if the member is not in the ring
     */
    public List<VirtualNode> virtualNodesOf(Member member) {
        requireMember(member);
        VirtualNode[] result = new VirtualNode[config.replicationFactor()];
        for (VirtualNode node : virtualNodes) {
            if (node.member().equals(member)) {
                result[node.index()] = node;
            }
        }
        return List.of(result);
    }

    /**
     * Returns how many partitions each member owns.
     *
     * @return an immutable map in member id order
     */
    public Map<Member, Integer> loads() {
        Map<Member, Integer> result = new LinkedHashMap<>();
        for (int i = 0; i < members.size(); i++) {
            result.put(members.get(i), loads[i]);
        }
        return Collections.unmodifiableMap(result);
    }

    /**
     * Returns how many partitions a member owns.
     *
     * @param member a member of this ring
     * @return the member's partition count
     * @throws IllegalArgumentException if the member is not in the ring
     */
    public int loadOf(Member member) {
        return loads[requireMember(member)];
    }

    /**
     * Returns the mean number of partitions per member, {@code partitionCount / members}.
     *
     * @return the average load
     */
    public double averageLoad() {
        return (double) config.partitionCount() / members.size();
    }

    /**
     * Returns the cap no member exceeds, {@code floor(loadFactor * partitionCount / members)} (at least enough for
     * every partition to have an owner); see {@link RingConfig#loadCap(int)}.
     *
     * @return the load cap
     */
    public int loadCap() {
        return loadCap;
    }

    /**
     * Returns the largest number of partitions any member owns.
     *
     * @return the maximum load
     */
    public int maxLoad() {
        return Arrays.stream(loads).max().orElse(0);
    }

    /**
     * Returns the members in id order.
     *
     * @return an immutable list
     */
    public List<Member> members() {
        return members;
    }

    /**
     * Returns whether the member is part of this ring.
     *
     * @param member the member to look for
     * @return true if present
     */
    public boolean contains(Member member) {
        return memberIndex.containsKey(member);
    }

    /**
     * Returns the configuration this ring was built with.
     *
     * @return the configuration
     */
    public RingConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return "Ring[members=" + members.size() + ", partitions=" + config.partitionCount()
                + ", replicationFactor=" + config.replicationFactor() + ", loadCap=" + loadCap
                + ", maxLoad=" + maxLoad() + "]";
    }

    private int requireMember(Member member) {
        Integer index = memberIndex.get(Objects.requireNonNull(member, "member"));
        if (index == null) {
            throw new IllegalArgumentException("member not in the ring: " + member.id());
        }
        return index;
    }

    private int firstAtOrAfter(long position) {
        int lo = 0;
        int hi = tokens.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(tokens[mid], position) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == tokens.length ? 0 : lo;
    }

    private static long virtualNodeToken(Member member, int index) {
        return XxHash64.hash((member.id() + "#" + index).getBytes(StandardCharsets.UTF_8));
    }
}
