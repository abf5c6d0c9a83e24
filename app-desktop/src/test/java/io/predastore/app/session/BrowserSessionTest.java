package io.predastore.app.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.app.session.BrowserSession.Connection;
import io.predastore.app.session.BrowserSession.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BrowserSessionTest {
    private final List<String> shown = new ArrayList<>();
    private final List<String> retired = new ArrayList<>();
    private final List<String> discarded = new ArrayList<>();
    private final BrowserSession<String> session = new BrowserSession<>(shown::add, retired::add, discarded::add);

    private static String local(int node) {
        return "local-" + node;
    }

    private static String remote(int node) {
        return "remote-" + node;
    }

    /** Opens the connection's client as the app does, in order. */
    private String connect(Optional<Connection<String>> connection) throws Exception {
        assertThat(connection).isPresent();
        String client = connection.get().open();
        session.opened(connection.get(), client);
        return client;
    }

    @Test
    void running_beforeAnyClusterIsOpen_choosesNothing() {
        assertThat(session.running(List.of(1, 2))).isEmpty();
        assertThat(session.mode()).isEqualTo(Mode.NONE);
        assertThat(session.node()).isEmpty();
    }

    @Test
    void running_supervisedWithoutChoice_choosesTheFirstRunningNode() throws Exception {
        session.supervise(BrowserSessionTest::local);

        assertThat(connect(session.running(List.of(3, 1, 2)))).isEqualTo("local-3");
        assertThat(shown).containsExactly("local-3");
        assertThat(session.node()).contains(3);
        assertThat(session.current()).contains("local-3");
    }

    @Test
    void running_noNodeRuns_waitsWithoutChoosing() {
        session.supervise(BrowserSessionTest::local);

        assertThat(session.running(List.of())).isEmpty();
        assertThat(session.node()).isEmpty();
    }

    @Test
    void running_chosenNodeStillRuns_staysOnIt() throws Exception {
        session.supervise(BrowserSessionTest::local);
        connect(session.running(List.of(2, 3)));
        long generation = session.generation();

        assertThat(session.running(List.of(1, 2, 3))).isEmpty();
        assertThat(session.generation()).isEqualTo(generation);
    }

    @Test
    void running_chosenNodeStopped_failsOverToTheFirstRunningAndRetiresTheOldClient() throws Exception {
        session.supervise(BrowserSessionTest::local);
        connect(session.running(List.of(2, 3)));

        assertThat(connect(session.running(List.of(4, 3)))).isEqualTo("local-4");
        assertThat(shown).containsExactly("local-2", "local-4");
        assertThat(retired).containsExactly("local-2");
        assertThat(discarded).isEmpty();
    }

    @Test
    void running_inARemoteSession_isIgnored() {
        session.watch(List.of(1, 2), BrowserSessionTest::remote);

        assertThat(session.running(List.of(2))).isEmpty();
        assertThat(session.node()).contains(1);
    }

    @Test
    void supervise_anotherCluster_forgetsTheNodeOfTheFirst() throws Exception {
        session.supervise(BrowserSessionTest::local);
        connect(session.running(List.of(1, 2)));

        session.supervise(node -> "second-" + node);

        assertThat(session.node()).isEmpty();
        assertThat(connect(session.running(List.of(1, 2)))).isEqualTo("second-1");
        assertThat(retired).containsExactly("local-1");
    }

    @Test
    void watch_remoteCluster_startsOnTheFirstMember() throws Exception {
        Connection<String> c = session.watch(List.of(5, 1, 2), BrowserSessionTest::remote);

        assertThat(c.nodeId()).isEqualTo(5);
        assertThat(connect(Optional.of(c))).isEqualTo("remote-5");
        assertThat(session.mode()).isEqualTo(Mode.REMOTE);
    }

    @Test
    void watch_noMembers_isRefused() {
        assertThatThrownBy(() -> session.watch(List.of(), BrowserSessionTest::remote))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without members");
    }

    @Test
    void polled_browserNodeUnreachable_failsOverToTheFirstReachable() throws Exception {
        connect(Optional.of(session.watch(List.of(1, 2, 3), BrowserSessionTest::remote)));

        assertThat(connect(session.polled(List.of(3, 2), Set.of(1)))).isEqualTo("remote-3");
        assertThat(retired).containsExactly("remote-1");
    }

    @Test
    void polled_browserNodeReachableOrNotReported_staysOnIt() {
        session.watch(List.of(1, 2, 3), BrowserSessionTest::remote);

        assertThat(session.polled(List.of(1, 2), Set.of(3))).isEmpty();
        assertThat(session.polled(List.of(2), Set.of())).isEmpty();
        assertThat(session.node()).contains(1);
    }

    @Test
    void polled_noNodeReachable_staysAndWaits() {
        session.watch(List.of(1, 2), BrowserSessionTest::remote);

        assertThat(session.polled(List.of(), Set.of(1, 2))).isEmpty();
        assertThat(session.node()).contains(1);
    }

    @Test
    void polled_inASupervisedSession_isIgnored() throws Exception {
        session.supervise(BrowserSessionTest::local);
        connect(session.running(List.of(1, 2)));

        assertThat(session.polled(List.of(2), Set.of(1))).isEmpty();
    }

    @Test
    void everyChoice_bumpsTheGeneration() {
        session.supervise(BrowserSessionTest::local);
        long start = session.generation();

        Connection<String> first = session.running(List.of(1)).orElseThrow();
        Connection<String> second = session.running(List.of(2)).orElseThrow();

        assertThat(first.generation()).isEqualTo(start + 1);
        assertThat(second.generation()).isEqualTo(start + 2);
        assertThat(session.generation()).isEqualTo(second.generation());
    }

    @Test
    void opened_clientOfAnOlderGeneration_isDiscardedEvenIfItArrivesLast() throws Exception {
        session.supervise(BrowserSessionTest::local);
        Connection<String> toOne = session.running(List.of(1)).orElseThrow();
        Connection<String> toTwo = session.running(List.of(2)).orElseThrow();

        assertThat(session.opened(toTwo, toTwo.open())).isTrue();
        assertThat(session.opened(toOne, toOne.open())).isFalse();

        assertThat(shown).containsExactly("local-2");
        assertThat(discarded).containsExactly("local-1");
        assertThat(retired).isEmpty();
        assertThat(session.current()).contains("local-2");
    }

    @Test
    void opened_clientOfAnOlderGeneration_arrivingFirst_isDiscardedAndTheNewestUsed() throws Exception {
        session.supervise(BrowserSessionTest::local);
        Connection<String> toOne = session.running(List.of(1)).orElseThrow();
        Connection<String> toTwo = session.running(List.of(2)).orElseThrow();

        assertThat(session.opened(toOne, toOne.open())).isFalse();
        assertThat(session.opened(toTwo, toTwo.open())).isTrue();

        assertThat(shown).containsExactly("local-2");
        assertThat(discarded).containsExactly("local-1");
    }

    @Test
    void opened_afterAnotherClusterWasOpened_isDiscarded() throws Exception {
        session.supervise(BrowserSessionTest::local);
        Connection<String> old = session.running(List.of(1)).orElseThrow();

        session.supervise(node -> "second-" + node);

        assertThat(session.opened(old, old.open())).isFalse();
        assertThat(discarded).containsExactly("local-1");
        assertThat(shown).isEmpty();
    }

    @Test
    void close_returnsTheCurrentClientAndDiscardsLaterOnes() throws Exception {
        session.supervise(BrowserSessionTest::local);
        connect(session.running(List.of(1)));
        Connection<String> late = session.running(List.of(2)).orElseThrow();

        assertThat(session.close()).contains("local-1");
        assertThat(session.opened(late, late.open())).isFalse();
        assertThat(discarded).containsExactly("local-2");
        assertThat(session.current()).isEmpty();
        assertThat(session.running(List.of(1))).isEmpty();
    }
}
