package io.predastore.bench.scale;

import static io.predastore.bench.scale.Markdown.bytes;
import static io.predastore.bench.scale.Markdown.duration;
import static io.predastore.bench.scale.Markdown.e;
import static io.predastore.bench.scale.Markdown.f1;
import static io.predastore.bench.scale.Markdown.f2;
import static io.predastore.bench.scale.Markdown.f3;
import static io.predastore.bench.scale.Markdown.pct;

import io.predastore.node.bench.ByteSizes;
import io.predastore.node.erasure.StripeLayout;
import io.predastore.node.store.cluster.DistributedBackend;
import io.predastore.protocol.ring.Ring;
import io.predastore.protocol.ring.RingConfig;
import java.io.PrintStream;
import java.util.ArrayList;
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
    private final Markdown md;
    private final int data;
    private final int parity;
    private final List<Long> objectCounts;
    private final long objectSize;
    private final long pace;
    private final Map<Integer, long[]> sampledCounts = new HashMap<>();

    Report(PrintStream out, int data, int parity, List<Long> objectCounts, long objectSize, long pace) {
        this.out = out;
        this.md = new Markdown(out);
        this.data = data;
        this.parity = parity;
        this.objectCounts = objectCounts;
        this.objectSize = objectSize;
        this.pace = pace;
    }

    /** How evenly real keys fall into partitions, against the even spread the other sections assume. */
    void spread(List<RingConfig> configs, long sample) {
        out.printf("## Objects per partition, %,d real keys (Ring.hashObject of 40-byte keys)%n%n", sample);
        md.row("partitions", "mean per partition", "max / mean", "min / mean", "expected spread (1 sd / mean)");
        md.rule(5);
        for (RingConfig config : configs) {
            long[] counts = sampled(config, sample);
            double mean = (double) sample / counts.length;
            long max = 0;
            long min = Long.MAX_VALUE;
            for (long c : counts) {
                max = Math.max(max, c);
                min = Math.min(min, c);
            }
            md.row(config.partitionCount(), f1(mean), f3(max / mean), f3(min / mean), f3(Math.sqrt(mean) / mean));
        }
        out.println();
    }

    /** Shards per member: ratios for every partition count, then absolute counts for the first. */
    void balance(Map<Integer, Map<Integer, Scenario>> scenarios, long sample) {
        out.printf("## Balance: partition slots (partition x shard index) per member, objects spread evenly%n%n");
        md.row("partitions", "members", "load cap", "owned max / avg", "slots per member, avg", "max / avg",
                "min / avg", "members with no shard", sample > 0 ? String.format("max / avg, %,d real keys", sample)
                        : "(no sample)");
        md.rule(9);
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
                md.row(s.config.partitionCount(), s.members, s.ring.loadCap(), f3(s.ring.maxLoad() / s.ring.averageLoad()),
                        f2(avg), f3(s.maxShards() / avg), f3(s.minShards() / avg), s.membersWithoutShards(), sampled);
            }
        }
        out.println();
        Map<Integer, Scenario> first = scenarios.values().iterator().next();
        int partitions = first.values().iterator().next().config.partitionCount();
        out.printf("## Shards per member at %d partitions (each a share of one %s object)%n%n", partitions,
                ByteSizes.format(objectSize));
        md.row("members", "objects", "shards per member, avg", "max", "min", "stored on the fullest member");
        md.rule(6);
        long shardBytes = shardBytes(objectSize);
        for (Scenario s : first.values()) {
            for (long objects : objectCounts) {
                double perSlot = (double) objects / partitions;
                double max = s.maxShards() * perSlot;
                md.row(s.members, e(objects), e(s.averageShards() * perSlot), e(max), e(s.minShards() * perSlot),
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
        md.row("partitions", "change", "slot moves", "slot / ideal", "set moves", "set / ideal",
                "objects touched (set) / ideal", "newcomer's share / ideal, mean (min)");
        md.rule(8);
        for (Map<Integer, Scenario> byMembers : scenarios.values()) {
            for (Scenario s : byMembers.values()) {
                double ideal = 1.0 / (s.members + 1);
                double touchedIdeal = Math.min(1.0, (double) width / (s.members + 1));
                List<Scenario.Change> j = s.joins;
                md.row(s.config.partitionCount(), s.members + " -> " + (s.members + 1),
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
        md.row("partitions", "change", "departed share", "set moves", "set / departed", "slot moves",
                "slot / departed");
        md.rule(7);
        for (Map<Integer, Scenario> byMembers : scenarios.values()) {
            for (Scenario s : byMembers.values()) {
                List<Scenario.Change> l = s.leaves;
                List<Scenario.Change> holding = l.stream().filter(c -> c.memberShards() > 0).toList();
                md.row(s.config.partitionCount(), s.members + " -> " + (s.members - 1),
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
        md.row("members", "objects", "lost member's shards, avg (fullest)", "bytes read to rebuild, avg",
                "as built: one engine, avg (fullest)", "every survivor at pace, avg", "join: bytes copied",
                "into the newcomer", "join time");
        md.rule(9);
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
                md.row(s.members, e(objects), e(lost) + " (" + e(lostMax) + ")", bytes(read),
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
        md.row("object size", "kept", "key bytes", "record bytes", "PUT batch bytes", "log bytes per PUT, alone",
                "per PUT, " + group + " per entry");
        md.rule(7);
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
            md.row(ByteSizes.format(size), c.inline() ? "inline (<= " + ByteSizes.format(DistributedBackend.INLINE_LIMIT)
                    + ")" : "shard set", c.keyBytes(), c.recordBytes(), c.batchBytes(), c.logBytesAlone(),
                    f1(c.logBytesGrouped()));
        }
        out.println();
        out.printf("## Metadata per replica at %s per object (key + record; every metadata peer holds all of it)%n%n",
                ByteSizes.format(objectSize));
        md.row("objects", "bytes per replica");
        md.rule(2);
        for (long objects : objectCounts) {
            md.row(e(objects), bytes((double) objects * chosen.storedBytes()));
        }
        out.println();
        out.printf("## Raft log written by every metadata peer, %s PUTs%n"
                + "The leader sends each entry to every other peer of the group, voter or listener: 4 in a group of"
                + " 5, %d when all %d members are peers, as they are today with 5 voters and the rest listeners"
                + " (commits wait for the voters only; entry payload only, gRPC and TLS framing not counted).%n%n",
                ByteSizes.format(objectSize), members - 1, members);
        md.row("PUTs/s", "entries/s, alone", "log bytes/s, alone", "entries/s, " + group + " per entry",
                "log bytes/s, grouped", "log written per day, grouped", "leader sends, group of 5", "leader sends, "
                        + members + " peers");
        md.rule(8);
        for (long rate : putRates) {
            double grouped = rate * chosen.logBytesGrouped();
            md.row(e(rate), e(rate), bytes(rate * (double) chosen.logBytesAlone()) + "/s", e((double) rate / group),
                    bytes(grouped) + "/s", bytes(grouped * 86_400), bytes(grouped * 4) + "/s",
                    bytes(grouped * (members - 1)) + "/s");
        }
        out.println();
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
}
