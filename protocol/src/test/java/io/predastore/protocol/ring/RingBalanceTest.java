package io.predastore.protocol.ring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RingBalanceTest {

    @ParameterizedTest
    @ValueSource(ints = {5, 16, 64})
    void maxLoad_defaultConfig_staysWithinCeilOfLoadFactorTimesAverage(int members) {
        RingFigures.Balance balance = RingFigures.balance(members);
        System.out.println("balance: " + balance);

        // The cap is floor(1.25 * average): no member owns more than 1.25 times the average.
        assertThat(balance.cap()).isEqualTo((int) Math.floor(1.25 * balance.average()));
        assertThat(balance.max()).isLessThanOrEqualTo(balance.cap());
        assertThat((double) balance.max()).isLessThanOrEqualTo(1.25 * balance.average());
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 16, 64})
    void loads_defaultConfig_sumToPartitionCount(int members) {
        Ring ring = Ring.of(RingFigures.members(members));

        assertThat(ring.loads().values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(RingConfig.DEFAULT_PARTITION_COUNT);
    }
}
