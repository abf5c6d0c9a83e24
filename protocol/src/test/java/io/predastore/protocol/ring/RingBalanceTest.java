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

        // The cap is ceil(1.25 * average); rounding up lets max/avg exceed 1.25 by less than 1 / average.
        assertThat(balance.cap()).isEqualTo((int) Math.ceil(1.25 * balance.average()));
        assertThat(balance.max()).isLessThanOrEqualTo(balance.cap());
        assertThat((double) balance.max()).isLessThan(1.25 * balance.average() + 1);
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 16, 64})
    void loads_defaultConfig_sumToPartitionCount(int members) {
        Ring ring = Ring.of(RingFigures.members(members));

        assertThat(ring.loads().values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(RingConfig.DEFAULT_PARTITION_COUNT);
    }
}
