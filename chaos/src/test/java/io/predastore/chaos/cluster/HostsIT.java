package io.predastore.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Network hosts without nodes: reachability is told by a TCP connect to a closed port, which a reachable host
 * refuses and a cut one never answers. Needs root (see {@link Hosts}).
 */
class HostsIT {
    /** Whether {@code from}'s namespace reaches {@code address}: a connection refused means it got there. */
    static boolean reaches(Hosts hosts, int from, String address) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(hosts.inNamespace(from, List.of("timeout", "3", "bash", "-c",
                "exec 3<>/dev/tcp/" + address + "/1"))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out.contains("Connection refused");
    }

    static boolean rootReaches(String address) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, 1), 3000);
            return true;
        } catch (ConnectException e) {
            return e.getMessage().contains("refused");
        }
    }

    @Test
    void hosts_partitionAndHeal_cutOnlyThePairAndLeaveNothingBehind() throws Exception {
        Hosts hosts = Hosts.create(3);
        String prefix = hosts.runPrefix();
        try {
            assertThat(hosts.addresses()).hasSize(3).doesNotHaveDuplicates()
                    .allSatisfy(a -> assertThat(a).startsWith("10.231."));
            assertThat(Hosts.listNamespaces()).contains(hosts.namespace(1), hosts.namespace(2), hosts.namespace(3));
            for (String address : hosts.addresses()) {
                assertThat(rootReaches(address)).as("root -> %s", address).isTrue();
            }
            assertThat(reaches(hosts, 1, hosts.address(2))).isTrue();

            hosts.partition(1, 2);
            assertThat(hosts.partitions()).containsExactly(List.of(1, 2));
            assertThat(reaches(hosts, 1, hosts.address(2))).as("1 -> 2 cut").isFalse();
            assertThat(reaches(hosts, 2, hosts.address(1))).as("2 -> 1 cut").isFalse();
            assertThat(reaches(hosts, 1, hosts.address(3))).as("1 -> 3").isTrue();
            assertThat(reaches(hosts, 2, hosts.address(3))).as("2 -> 3").isTrue();
            assertThat(rootReaches(hosts.address(1))).as("clients still reach a cut node").isTrue();

            assertThat(Hosts.removeLeftovers()).as("a live run is no leftover").noneMatch(n -> n.startsWith(prefix));
            hosts.healAll();
            assertThat(hosts.partitions()).isEmpty();
            assertThat(reaches(hosts, 1, hosts.address(2))).as("1 -> 2 healed").isTrue();

            hosts.isolate(List.of(3));
            assertThat(hosts.partitions()).containsExactly(List.of(1, 3), List.of(2, 3));
            assertThat(reaches(hosts, 3, hosts.address(1))).as("3 -> 1 isolated").isFalse();
            assertThat(reaches(hosts, 2, hosts.address(3))).as("2 -> 3 isolated").isFalse();
            assertThat(reaches(hosts, 1, hosts.address(2))).as("1 -> 2 on the same side").isTrue();
            hosts.healAll();
            assertThat(hosts.partitions()).isEmpty();
            assertThat(reaches(hosts, 3, hosts.address(1))).as("3 -> 1 healed").isTrue();
        } finally {
            hosts.close();
        }
        assertThat(Hosts.listNamespaces()).noneMatch(ns -> ns.startsWith(prefix));
        assertThat(Hosts.listLinks()).noneMatch(link -> link.startsWith(prefix));
    }

    @Test
    void removeLeftovers_ofADeadRun_removesItsNamespacesAndLinks() throws Exception {
        // The pid of a process that has exited, as a crashed run's JVM has (pids are not reused that soon).
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String dead = Hosts.NAME_PREFIX + Long.toString(gone.pid(), 36) + "-0";
        IpCommand.check("netns", "add", dead + "sw");
        IpCommand.check("netns", "add", dead + "n1");
        IpCommand.check("link", "add", "name", dead + "up", "type", "veth", "peer", "name", "uplink", "netns",
                dead + "sw");

        try {
            assertThat(Hosts.removeLeftovers()).contains(dead + "sw", dead + "n1", dead + "up");
        } finally {
            IpCommand.run(List.of("link", "del", dead + "up"));
            IpCommand.run(List.of("netns", "del", dead + "n1"));
            IpCommand.run(List.of("netns", "del", dead + "sw"));
        }
        assertThat(Hosts.listNamespaces()).noneMatch(ns -> ns.startsWith(dead));
        assertThat(Hosts.listLinks()).noneMatch(link -> link.startsWith(dead));
    }
}
