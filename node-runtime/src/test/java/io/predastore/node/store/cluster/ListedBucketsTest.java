package io.predastore.node.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.protocol.admin.BucketProtection;
import io.predastore.protocol.admin.ProtectionCounts;
import io.predastore.protocol.admin.ProtectionReport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored protection report lists a bounded number of buckets, the least protected ones. */
class ListedBucketsTest {
    /** A bucket of 3+2 objects: {@code byMissing[i]} objects lack {@code i} shards. */
    private static BucketProtection bucket(String name, long... byMissing) {
        List<Long> objects = new ArrayList<>();
        List<Long> bytes = new ArrayList<>();
        long total = 0;
        for (long n : byMissing) {
            objects.add(n);
            bytes.add(n * 100);
            total += n;
        }
        return new BucketProtection(name, new ProtectionCounts(total, total * 100, objects, bytes));
    }

    @Test
    void upToTheLimit_everyBucketIsListed_byName() {
        List<BucketProtection> all = new ArrayList<>(List.of(bucket("b", 5, 0, 0, 0, 0, 0),
                bucket("a", 1, 1, 0, 0, 0, 0)));
        all.sort(java.util.Comparator.comparing(BucketProtection::bucket));

        assertThat(ProtectionPass.listed(all)).extracting(BucketProtection::bucket).containsExactly("a", "b");
    }

    @Test
    void pastTheLimit_theLeastProtectedAreKept_stillByName() {
        List<BucketProtection> all = new ArrayList<>();
        for (int i = 0; i < ProtectionReport.MAX_BUCKETS + 500; i++) {
            all.add(bucket(String.format("full-%05d", i), 3, 0, 0, 0, 0, 0));
        }
        all.add(bucket("zz-unreadable", 0, 0, 0, 1, 0, 0));
        all.add(bucket("zz-at-risk", 9, 0, 1, 0, 0, 0));
        all.add(bucket("aa-degraded", 9, 4, 0, 0, 0, 0));

        List<BucketProtection> listed = ProtectionPass.listed(all);

        assertThat(listed).hasSize(ProtectionReport.MAX_BUCKETS);
        assertThat(listed).extracting(BucketProtection::bucket)
                .contains("zz-unreadable", "zz-at-risk", "aa-degraded").isSorted();
        assertThat(listed).extracting(BucketProtection::bucket).filteredOn(n -> n.startsWith("full-"))
                .hasSize(ProtectionReport.MAX_BUCKETS - 3).last().isEqualTo(String.format("full-%05d",
                        ProtectionReport.MAX_BUCKETS - 4));
    }
}
