package io.predastore.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class BodyBudgetTest {
    @Test
    void reserve_perClientAndTotalBounds_refusedBeyondEither_untilReleased() throws Exception {
        InetAddress a = InetAddress.getByName("127.0.0.1");
        InetAddress b = InetAddress.getByName("127.0.0.2");
        InetAddress c = InetAddress.getByName("127.0.0.3");
        BodyBudget budget = new BodyBudget(100, 150);
        assertThat(budget.reserve(a, 60)).isTrue();
        assertThat(budget.reserve(a, 41)).as("over a's share").isFalse();
        assertThat(budget.reserve(b, 91)).as("over the total").isFalse();
        assertThat(budget.reserve(b, 89)).isTrue();
        assertThat(budget.held()).isEqualTo(149);
        assertThat(budget.reserve(c, 2)).isFalse();
        budget.release(a, 60);
        assertThat(budget.reserve(c, 2)).isTrue();
        assertThat(budget.held()).isEqualTo(91);
    }
}
