package io.predastore.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration VALIDITY = Duration.ofMinutes(15);

    private static final class MutableClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void admit_sameSignatureTwice_secondReplayed() {
        ReplayGuard guard = new ReplayGuard(new MutableClock(), VALIDITY, 10);
        assertThat(guard.admit("a", T0)).isEqualTo(ReplayGuard.Outcome.ACCEPTED);
        assertThat(guard.admit("a", T0)).isEqualTo(ReplayGuard.Outcome.REPLAYED);
        assertThat(guard.admit("b", T0)).isEqualTo(ReplayGuard.Outcome.ACCEPTED);
    }

    @Test
    void admit_signatureSignedInTheFuture_rememberedUntilItsOwnValidityEnds() {
        MutableClock clock = new MutableClock();
        ReplayGuard guard = new ReplayGuard(clock, VALIDITY, 10);
        guard.admit("ahead", T0.plus(Duration.ofMinutes(14)));
        clock.now = T0.plus(Duration.ofMinutes(28));
        assertThat(guard.admit("ahead", T0.plus(Duration.ofMinutes(14)))).isEqualTo(ReplayGuard.Outcome.REPLAYED);
        clock.now = T0.plus(Duration.ofMinutes(29)).plusSeconds(2);
        assertThat(guard.size()).isEqualTo(1);
        guard.admit("other", clock.now);
        assertThat(guard.size()).as("the expired signature is forgotten").isEqualTo(1);
    }

    @Test
    void admit_full_refusesUntilOneExpires_neverForgetsALiveOne() {
        MutableClock clock = new MutableClock();
        ReplayGuard guard = new ReplayGuard(clock, VALIDITY, 2);
        guard.admit("a", T0);
        guard.admit("b", T0.plusSeconds(60));
        assertThat(guard.admit("c", T0)).isEqualTo(ReplayGuard.Outcome.FULL);
        assertThat(guard.admit("a", T0)).isEqualTo(ReplayGuard.Outcome.REPLAYED);
        clock.now = T0.plus(VALIDITY).plusSeconds(2);
        assertThat(guard.admit("c", clock.now)).isEqualTo(ReplayGuard.Outcome.ACCEPTED);
        assertThat(guard.admit("b", T0.plusSeconds(60))).isEqualTo(ReplayGuard.Outcome.REPLAYED);
    }
}
