package io.predastore.bench.scale;

import static io.predastore.bench.scale.Markdown.bytes;
import static io.predastore.bench.scale.Markdown.f1;
import static io.predastore.bench.scale.Markdown.f3;

import io.predastore.protocol.ring.Ring;
import io.predastore.protocol.ring.RingConfig;
import java.io.PrintStream;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.List;

/**
 * What a ring costs as its partition count grows: build time (a node rebuilds its ring whenever its set of live
 * nodes changes), heap held, and balance. Times are wall-clock on whatever else the machine runs; read them as
 * orders of magnitude. Stateless.
 */
final class RingCost {

    private RingCost() {
    }

    /**
     * Prints, for each partition count, the time to build a ring of {@code members} and to place every partition,
     * the heap one ring holds, and its balance.
     */
    static void print(PrintStream out, int members, List<Integer> partitionCounts, int width, int virtualNodes,
            double loadFactor) {
        Markdown md = new Markdown(out);
        out.printf("## Ring cost at %d members, %d virtual nodes each (median of 3 builds; heap measured after GC)%n%n",
                members, virtualNodes);
        md.row("partitions", "Ring.of ms", "placing every partition ms", "heap per ring", "owned max / avg",
                "slots max / avg", "slots min / avg");
        md.rule(7);
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
            md.row(p, f1(build[1] / 1e6), f1(place[1] / 1e6), bytes(retainedBytes(members, config)),
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
}
