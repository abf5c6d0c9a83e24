package io.predastore.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration VALIDITY = Duration.ofMinutes(15);

    @Test
    void admit_sameSignatureTwice_secondReplayed() {
        ReplayGuard guard = new ReplayGuard(new TestClock(T0), VALIDITY, 10);
        assertThat(guard.admit("a", T0)).isEqualTo(ReplayGuard.Outcome.ACCEPTED);
        assertThat(guard.admit("a", T0)).isEqualTo(ReplayGuard.Outcome.REPLAYED);
        assertThat(guard.admit("b", T0)).isEqualTo(ReplayGuard.Outcome.ACCEPTED);
    }

    @Test
    void admit_signatureSignedInTheFuture_rememberedUntilItsOwnValidityEnds() {
        TestClock clock = new TestClock(T0);
        ReplayGuard guard = new ReplayGuard(clock, VALIDITY, 10);
        guard.admit("ahead", T0.plus(Duration.ofMinutes(14)));
        clock.set(T0.plus(Duration.ofMinutes(28)));
        assertThat(guard.admit("ahead", T0.plus(Duration.ofMinutes(14)))).isEqualTo(ReplayGuard.Outcome.REPLAYED);
        clock.set(T0.plus(Duration.ofMinutes(29)).plusSeconds(2));
        assertThat(guard.size()).isEqualTo(1);
        guard.admit("other", clock.instant());
        assertThat(guard.size()).as("the expired signature is forgotten").isEqualTo(1);
    }

    @Test
    void admit_full_refusesUntilOneExpires_neverForgetsALiveOne() {
        TestClock clock = new TestClock(T0);
        ReplayGuard guard = new ReplayGuard(clock, VALIDITY, 2);
        guard.admit("a", T0);
        guard.admit("b", T0.plusSeconds(60));
        assertThat(guard.admit("c", T0)).isEqualTo(ReplayGuard.Outcome.FULL);
        assertThat(guard.admit("a", T0)).isEqualTo(ReplayGuard.Outcome.REPLAYED);
        clock.set(T0.plus(VALIDITY).plusSeconds(2));
        assertThat(guard.admit("c", clock.instant())).isEqualTo(ReplayGuard.Outcome.ACCEPTED);
        assertThat(guard.admit("b", T0.plusSeconds(60))).isEqualTo(ReplayGuard.Outcome.REPLAYED);
    }
}
