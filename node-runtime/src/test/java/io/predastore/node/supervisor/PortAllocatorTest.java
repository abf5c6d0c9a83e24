package io.predastore.node.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void ephemeral_handsOutDistinctBindablePorts() throws Exception {
        PortAllocator ports = PortAllocator.ephemeral(LOOPBACK);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            int port = ports.next();
            assertThat(seen.add(port)).isTrue();
            assertThat(PortAllocator.canBind(LOOPBACK, port)).isTrue();
        }
    }

    @Test
    void fromBase_skipsPortsInUse() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(LOOPBACK, 0));
            int taken = busy.getLocalPort();
            assertThat(PortAllocator.canBind(LOOPBACK, taken)).isFalse();

            PortAllocator ports = PortAllocator.from(LOOPBACK, taken);
            int first = ports.next();
            int second = ports.next();

            assertThat(first).isGreaterThan(taken);
            assertThat(second).isGreaterThan(first);
        }
    }
}
