package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** A node serving a region other than us-east-1 (`serve --region eu-west-1`), through the AWS SDK. */
class S3RegionIT {
    @TempDir
    Path tmp;

    @Test
    void outsideUsEast1_reCreatingAnOwnedBucketIsBucketAlreadyOwnedByYou() throws Exception {
        try (NodeProcess node = NodeProcess.start(tmp.resolve("node"), "256m", "--region", "eu-west-1");
                S3Client s3 = Clients.s3(node.endpoint(), Region.EU_WEST_1)) {
            s3.createBucket(b -> b.bucket("irish").createBucketConfiguration(c -> c.locationConstraint(
                    BucketLocationConstraint.EU_WEST_1)));
            assertThatThrownBy(() -> s3.createBucket(b -> b.bucket("irish")))
                    .isInstanceOfSatisfying(BucketAlreadyOwnedByYouException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(409));
            assertThat(s3.getBucketLocation(b -> b.bucket("irish")).locationConstraintAsString())
                    .isEqualTo("eu-west-1");
            assertThatThrownBy(() -> s3.createBucket(b -> b.bucket("elsewhere").createBucketConfiguration(c ->
                    c.locationConstraint(BucketLocationConstraint.US_WEST_2))))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                            .isEqualTo("InvalidLocationConstraint"));
        }
    }
}
