package io.predastore.node.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WarmingCodingKernelTest {

    @Test
    void code_beforeDuringAndAfterWarmUp_matchesScalar() {
        WarmingCodingKernel warming = WarmingCodingKernel.start(Kernels.scalar(), Kernels.vector(),
                TimeUnit.SECONDS.toNanos(60));
        assertThat(warming.name()).contains("vector-");
        byte[][] matrix = {{7, 1, 9, 3}, {2, (byte) 200, 5, 1}};
        MatrixCoder coder = warming.prepare(matrix);
        MatrixCoder reference = Kernels.scalar().prepare(matrix);
        Random random = new Random(5);
        int round = 0;
        // Code while the kernel switches underneath: every result must equal the scalar kernel's.
        while (!warming.settled() || round < 50) {
            int length = random.nextInt(3000);
            byte[][] inputs = ReedSolomonDecodeTest.randomShards(random, 4, length + 3);
            byte[][] expected = new byte[2][length + 3];
            byte[][] actual = new byte[2][length + 3];
            reference.code(inputs, 3, expected, 0, length);
            coder.code(inputs, 3, actual, 0, length);
            assertThat(actual).as("round %d, length %d", round, length).isDeepEqualTo(expected);
            round++;
            if (round > 200_000) {
                break;
            }
        }
        await().atMost(Duration.ofSeconds(90)).until(warming::settled);
        assertThat(warming.vectorReady()).as("the compiled vector kernel beats the scalar one").isTrue();
        assertThat(warming.name()).startsWith("vector-");
    }
}
