package io.predastore.bench.scale;

import io.predastore.node.bench.ByteSizes;
import io.predastore.node.erasure.StripeLayout;
import io.predastore.node.store.cluster.DistributedBackend;
import io.predastore.protocol.ring.Ring;
import io.predastore.protocol.ring.RingConfig;
import java.io.PrintStream;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Prints the simulator's sections as Markdown tables, each preceded by one line saying what it shows and under
 * which assumptions, so that the output can be pasted into the documentation as it is. Not thread-safe.
 */
final class Report {
    private final PrintStream out;
    private final int data;
    private final int parity;
    private final List<Long> objectCounts;
    private final long objectSize;
    private final long pace;
    private final Map<Integer, long[]> sampledCounts = new HashMap<>();

    Report(PrintStream out, int data, int parity, List<Long> objectCounts, long objectSize, long pace) {
        this.out = out;
        this.data = data;
        this.parity = parity;
        this.objectCounts = objectCounts;
        this.objectSize = objectSize;
        this.pace = pace;
    }

    /** How evenly real keys fall into partitions, against the even spread the other sections assume. */
    void spread(List<RingConfig> configs, long sample) {
        out.printf("## Objects per partition, %,d real keys (Ring.hashObject of 40-byte keys)%n%n", sample);
        row("partitions", "mean per partition", "max / mean", "min / mean", "expected spread (1 sd / mean)");
        rule(5);
        for (RingConfig config : configs) {
            long[] counts = sampled(config, sample);
            double mean = (double) sample / counts.length;
            long max = 0;
            long min = Long.MAX_VALUE;
            for (long c : counts) {
                max = Math.max(max, c);
                min = Math.min(min, c);
            }
            row(config.partitionCount(), f1(mean), f3(max / mean), f3(min / mean), f3(Math.sqrt(mean) / mean));
        }
        out.println();
    }

    /** Shards per member: ratios for every partition count, then absolute counts for the first. */
    void balance(Map<Integer, Map<Integer, Scenario>> scenarios, long sample) {
        out.printf("## Balance: partition slots (partition x shard index) per member, objects spread evenly%n%n");
        row("partitions", "members", "load cap", "owned max / avg", "slots per member, avg", "max / avg",
                "min / avg", "members with no shard", sample > 0 ? String.format("max / avg, %,d real keys", sample)
                        : "(no sample)");
        rule(9);
        for (Map<Integer, Scenario> byMembers : scenarios.values()) {
            for (Scenario s : byMembers.values()) {
                String sampled = "";
                if (sample > 0) {
                    double[] shards = s.table.shardsPerMember(ObjectSpread.weights(sampled(s.config, sample)),
                            s.members);
                    double max = 0;
                    for (int n = 1; n <= s.members; n++) {
                        max = Math.max(max, shards[n]);
                    }
                    sampled = f3(max / ((double) sample * s.width / s.members));
                }
                double avg = s.averageShards();
                row(s.config.partitionCount(), s.members, s.ring.loadCap(), f3(s.ring.maxLoad() / s.ring.averageLoad()),
                        f2(avg), f3(s.maxShards() / avg), f3(s.minShards() / avg), s.membersWithoutShards(), sampled);
            }
        }
        out.println();
        Map<Integer, Scenario> first = scenarios.values().iterator().next();
        int partitions = first.values().iterator().next().config.partitionCount();
        out.printf("## Shards per member at %d partitions (each a share of one %s object)%n%n", partitions,
                ByteSizes.format(objectSize));
        row("members", "objects", "shards per member, avg", "max", "min", "stored on the fullest member");
        rule(6);
        long shardBytes = shardBytes(objectSize);
        for (Scenario s : first.values()) {
            for (long objects : objectCounts) {
                double perSlot = (double) objects / partitions;
                double max = s.maxShards() * perSlot;
                row(s.members, e(objects), e(s.averageShards() * perSlot), e(max), e(s.minShards() * perSlot),
                        bytes(max * shardBytes));
            }
        }
        out.println();
    }

    /** Members joining, then leaving, one at a time, against the ideal. */
    void movement(Map<Integer, Map<Integer, Scenario>> scenarios) {
        int width = data + parity;
        int samples = scenarios.values().iterator().next().values().iterator().next().joins.size();
        out.printf("## One member joins (N -> N+1): fraction of all shards that move, mean (max) over %d newcomers%n"
                + "Ideal: the newcomer's fair share 1/(N+1) of the shards, touching (k+m)/(N+1) of the objects."
                + " Slot: every shard index re-placed where Ring.placement now puts it. Set: only the shards that"
                + " need a member new to their object's set.%n%n", samples);
        row("partitions", "change", "slot moves", "slot / ideal", "set moves", "set / ideal",
                "objects touched (set) / ideal", "newcomer's share / ideal, mean (min)");
        rule(8);
        for (Map<Integer, Scenario> byMembers : scenarios.values()) {
            for (Scenario s : byMembers.values()) {
                double ideal = 1.0 / (s.members + 1);
                double touchedIdeal = Math.min(1.0, (double) width / (s.members + 1));
                List<Scenario.Change> j = s.joins;
                row(s.config.partitionCount(), s.members + " -> " + (s.members + 1),
                        pct(Scenario.mean(j, c -> c.movement().slotFraction())) + " ("
                                + pct(Scenario.max(j, c -> c.movement().slotFraction())) + ")",
                        meanMax(j, c -> c.movement().slotFraction() / ideal),
                        pct(Scenario.mean(j, c -> c.movement().setFraction())) + " ("
                                + pct(Scenario.max(j, c -> c.movement().setFraction())) + ")",
                        meanMax(j, c -> c.movement().setFraction() / ideal),
                        meanMax(j, c -> c.movement().objectsBySet() / c.movement().objects() / touchedIdeal),
                        f2(Scenario.mean(j, c -> c.memberShards() / c.movement().shards() / ideal)) + " ("
                                + f2(Scenario.min(j, c -> c.memberShards() / c.movement().shards() / ideal)) + ")");
            }
        }
        out.println();
        out.printf("## One member leaves (N -> N-1): fraction of all shards that move, mean (max) over %d members%n"
                + "Ideal: exactly the departed member's shards. Members holding no shard are left out of the"
                + " ratios.%n%n", samples);
        row("partitions", "change", "departed share", "set moves", "set / departed", "slot moves",
                "slot / departed");
        rule(7);
        for (Map<Integer, Scenario> byMembers : scenarios.values()) {
            for (Scenario s : byMembers.values()) {
                List<Scenario.Change> l = s.leaves;
                List<Scenario.Change> holding = l.stream().filter(c -> c.memberShards() > 0).toList();
                row(s.config.partitionCount(), s.members + " -> " + (s.members - 1),
                        pct(Scenario.mean(l, c -> c.memberShards() / c.movement().shards())),
                        pct(Scenario.mean(l, c -> c.movement().setFraction())) + " ("
                                + pct(Scenario.max(l, c -> c.movement().setFraction())) + ")",
                        meanMax(holding, c -> c.movement().setMoves() / c.memberShards()),
                        pct(Scenario.mean(l, c -> c.movement().slotFraction())) + " ("
                                + pct(Scenario.max(l, c -> c.movement().slotFraction())) + ")",
                        meanMax(holding, c -> c.movement().slotMoves() / c.memberShards()));
            }
        }
        out.println();
    }

    private static String meanMax(List<Scenario.Change> changes, ToDoubleFunction<Scenario.Change> measure) {
        if (changes.isEmpty()) {
            return "-";
        }
        return f2(Scenario.mean(changes, measure)) + " (" + f2(Scenario.max(changes, measure)) + ")";
    }

    /** Time to rebuild a lost member's shards, and to copy a join's, at the pace given. */
    void repair(Map<Integer, Scenario> byMembers) {
        Scenario any = byMembers.values().iterator().next();
        int partitions = any.config.partitionCount();
        long shardBytes = shardBytes(objectSize);
        out.printf("## Repair and join time at %s/s, %s objects (%s per shard), %d partitions%n"
                + "As built, one repair engine (on the metadata leader) reads `data` shards per rebuilt shard, all"
                + " its reads held to the pace. 'Every survivor' assumes each surviving member rebuilt its share at"
                + " that pace. A join copies the set moves (no decoding; mean over the newcomers), each member"
                + " sending or receiving at most the pace; the product has no mover for joins yet.%n%n",
                ByteSizes.format(pace), ByteSizes.format(objectSize), ByteSizes.format(shardBytes), partitions);
        if (shardBytes == 0) {
            out.printf("Objects of %s are kept inline in their metadata records: no shards to rebuild or move.%n%n",
                    ByteSizes.format(objectSize));
            return;
        }
        row("members", "objects", "lost member's shards, avg (fullest)", "bytes read to rebuild, avg",
                "as built: one engine, avg (fullest)", "every survivor at pace, avg", "join: bytes copied",
                "into the newcomer", "join time");
        rule(9);
        for (Scenario s : byMembers.values()) {
            for (long objects : objectCounts) {
                double perSlot = (double) objects / partitions;
                double lost = s.averageShards() * perSlot;
                double lostMax = s.maxShards() * perSlot;
                double read = lost * data * shardBytes;
                double readMax = lostMax * data * shardBytes;
                double copied = Scenario.mean(s.joins, c -> c.movement().setMoves()) * perSlot * shardBytes;
                double intoNew = Scenario.mean(s.joins, c -> c.memberShards()) * perSlot * shardBytes;
                double joinSeconds = Math.max(intoNew / pace, copied / ((double) pace * (s.members + 1)));
                row(s.members, e(objects), e(lost) + " (" + e(lostMax) + ")", bytes(read),
                        duration(read / pace) + " (" + duration(readMax / pace) + ")",
                        duration(read / ((double) pace * (s.members - 1))), bytes(copied), bytes(intoNew),
                        duration(joinSeconds));
            }
        }
        out.println();
    }

    /** Metadata bytes per object and per replica, and Raft log bytes per second. */
    void metadata(List<Long> putRates, int group, int members) {
        out.printf("## Metadata per object, encoded by the product's codecs (RS %d+%d, 40-byte keys)%n"
                + "Raft log bytes: the entry as Ratis stores it in its segment files (sealed batch, entry protobuf,"
                + " length, checksum); RocksDB overhead and compression not counted.%n%n", data, parity);
        row("object size", "kept", "key bytes", "record bytes", "PUT batch bytes", "log bytes per PUT, alone",
                "per PUT, " + group + " per entry");
        rule(7);
        List<Long> sizes = new ArrayList<>(List.of(4L << 10, 16L << 10, 64L << 10, 1L << 20, 16L << 20, 64L << 20,
                1L << 30));
        if (!sizes.contains(objectSize)) {
            sizes.add(objectSize);
        }
        MetadataSizes.ObjectCost chosen = null;
        for (long size : sizes) {
            MetadataSizes.ObjectCost c = MetadataSizes.ofPut(size, data, parity, group);
            if (size == objectSize) {
                chosen = c;
            }
            row(ByteSizes.format(size), c.inline() ? "inline (<= " + ByteSizes.format(DistributedBackend.INLINE_LIMIT)
                    + ")" : "shard set", c.keyBytes(), c.recordBytes(), c.batchBytes(), c.logBytesAlone(),
                    f1(c.logBytesGrouped()));
        }
        out.println();
        out.printf("## Metadata per replica at %s per object (key + record; every metadata peer holds all of it)%n%n",
                ByteSizes.format(objectSize));
        row("objects", "bytes per replica");
        rule(2);
        for (long objects : objectCounts) {
            row(e(objects), bytes((double) objects * chosen.storedBytes()));
        }
        out.println();
        out.printf("## Raft log written by every metadata peer, %s PUTs%n"
                + "The leader sends each entry to every follower: 4 with 5 voters, %d when all %d members are"
                + " voters as now (entry payload only; gRPC and TLS framing not counted).%n%n",
                ByteSizes.format(objectSize), members - 1, members);
        row("PUTs/s", "entries/s, alone", "log bytes/s, alone", "entries/s, " + group + " per entry",
                "log bytes/s, grouped", "log written per day, grouped", "leader sends, 5 voters", "leader sends, "
                        + members + " voters");
        rule(8);
        for (long rate : putRates) {
            double grouped = rate * chosen.logBytesGrouped();
            row(e(rate), e(rate), bytes(rate * (double) chosen.logBytesAlone()) + "/s", e((double) rate / group),
                    bytes(grouped) + "/s", bytes(grouped * 86_400), bytes(grouped * 4) + "/s",
                    bytes(grouped * (members - 1)) + "/s");
        }
        out.println();
    }

    /** What a ring costs to build and hold, and how balanced it is, as the partition count grows. */
    void cost(int members, List<Integer> partitionCounts, int width, int virtualNodes, double loadFactor) {
        out.printf("## Ring cost at %d members, %d virtual nodes each (median of 3 builds; heap measured after GC)%n%n",
                members, virtualNodes);
        row("partitions", "Ring.of ms", "placing every partition ms", "heap per ring", "owned max / avg",
                "slots max / avg", "slots min / avg");
        rule(7);
        for (int p : partitionCounts) {
            RingConfig config = new RingConfig(p, virtualNodes, loadFactor);
            long[] build = new long[3];
            long[] place = new long[3];
            Ring ring = null;
            PlacementTable table = null;
            for (int i = 0; i < build.length; i++) {
                long t0 = System.nanoTime();
                ring = Ring.of(PlacementTable.members(members), config);
                long t1 = System.nanoTime();
                table = PlacementTable.of(ring, width);
                place[i] = System.nanoTime() - t1;
                build[i] = t1 - t0;
            }
            Arrays.sort(build);
            Arrays.sort(place);
            double[] shards = table.shardsPerMember(ObjectSpread.even(p, p), members);
            double avg = (double) p * width / members;
            double max = 0;
            double min = Double.MAX_VALUE;
            for (int n = 1; n <= members; n++) {
                max = Math.max(max, shards[n]);
                min = Math.min(min, shards[n]);
            }
            row(p, f1(build[1] / 1e6), f1(place[1] / 1e6), bytes(retainedBytes(members, config)),
                    f3(ring.maxLoad() / ring.averageLoad()), f3(max / avg), f3(min / avg));
        }
        out.println();
    }

    /** Heap held by one ring, measured by building a few and comparing the heap after a collection. */
    private static double retainedBytes(int members, RingConfig config) {
        Runtime rt = Runtime.getRuntime();
        Ring[] held = new Ring[3];
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        for (int i = 0; i < held.length; i++) {
            held[i] = Ring.of(PlacementTable.members(members), config);
        }
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        Reference.reachabilityFence(held);
        return Math.max(0, (after - before) / (double) held.length);
    }

    private long[] sampled(RingConfig config, long sample) {
        return sampledCounts.computeIfAbsent(config.partitionCount(),
                p -> ObjectSpread.sampled(Ring.of(PlacementTable.members(1), config), sample));
    }

    /** Bytes of one shard of an object of {@code size}, with the chunk size a gateway fits; 0 if kept inline. */
    private long shardBytes(long size) {
        if (size <= DistributedBackend.INLINE_LIMIT) {
            return 0;
        }
        int chunk = StripeLayout.fittedChunkSize(size, data, StripeLayout.DEFAULT_CHUNK_SIZE);
        return new StripeLayout(data, parity, chunk).stripeCount(size) * chunk;
    }

    private void row(Object... cells) {
        StringBuilder b = new StringBuilder("|");
        for (Object c : cells) {
            b.append(' ').append(c).append(" |");
        }
        out.println(b);
    }

    private void rule(int columns) {
        out.println("|" + " ---: |".repeat(columns));
    }

    private static String f1(double v) {
        return String.format("%.1f", v);
    }

    private static String f2(double v) {
        return String.format("%.2f", v);
    }

    private static String f3(double v) {
        return String.format("%.3f", v);
    }

    private static String pct(double v) {
        return String.format("%.2f %%", v * 100);
    }

    /** Counts in a short exact-enough form: 1.0e9, 271, 3.69e6. */
    private static String e(double v) {
        if (v < 10_000) {
            return v == Math.rint(v) ? String.format("%.0f", v) : String.format("%.1f", v);
        }
        return String.format("%.2e", v);
    }

    private static String bytes(double b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return String.format(u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
    }

    private static String duration(double seconds) {
        if (seconds < 120) {
            return String.format("%.0f s", seconds);
        }
        if (seconds < 2 * 3600) {
            return String.format("%.0f min", seconds / 60);
        }
        if (seconds < 2 * 86_400) {
            return String.format("%.1f h", seconds / 3600);
        }
        return String.format("%.1f d", seconds / 86_400);
    }
}
