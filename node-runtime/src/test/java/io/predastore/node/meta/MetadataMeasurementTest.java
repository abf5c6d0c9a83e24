package io.predastore.node.meta;

import static io.predastore.node.meta.LocalMetadataStoreTest.b;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures quoted in docs/metadata.md. Off by default; run with
 * {@code mvn -B -o -pl node-runtime test -Dtest=MetadataMeasurementTest -Dpredastore.meta.measure=true}.
 */
@EnabledIfSystemProperty(named = "predastore.meta.measure", matches = "true")
class MetadataMeasurementTest {
    @TempDir
    Path dir;

    @Test
    void measure_serialApplyLatencyAndFailover_printsFigures() throws Exception {
        try (MetaTestCluster c = MetaTestCluster.started(dir)) {
            int leader = c.awaitLeader();
            int follower = c.aFollower(leader);
            for (int i = 0; i < 20; i++) { // warm-up
                c.stores[leader].apply(MetaBatch.of(new MetaBatch.Put(MetaTable.OBJECTS, b("w" + i), b("v"))));
            }
            long[] viaLeader = serialWrites(c.stores[leader], "l");
            long[] viaFollower = serialWrites(c.stores[follower], "f");
            System.out.printf("serial apply, 200 writes, 3 peers: via leader p50=%.2f ms p99=%.2f ms;"
                    + " via follower p50=%.2f ms p99=%.2f ms%n", pct(viaLeader, 50), pct(viaLeader, 99),
                    pct(viaFollower, 50), pct(viaFollower, 99));

            long start = System.nanoTime();
            c.stop(leader);
            int next = c.awaitLeader();
            long elected = System.nanoTime();
            c.stores[next].apply(MetaBatch.of(new MetaBatch.Put(MetaTable.OBJECTS, b("after"), b("v"))));
            long written = System.nanoTime();
            System.out.printf("failover: new leader after %d ms, first write acknowledged after %d ms%n",
                    (elected - start) / 1_000_000, (written - start) / 1_000_000);
        }
    }

    private static long[] serialWrites(RaftMetadataStore store, String prefix) throws Exception {
        long[] nanos = new long[200];
        for (int i = 0; i < nanos.length; i++) {
            long t0 = System.nanoTime();
            store.apply(MetaBatch.of(new MetaBatch.Put(MetaTable.OBJECTS, b(prefix + i), b("value-" + i))));
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
    }
}
