package io.predastore.node.supervisor;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out ports that can be bound right now on a host, over both TCP and UDP (QUIC transports use UDP), and
 * never the same port twice. With a first port of 0 it takes ports the OS picks; otherwise it scans upwards from
 * the first port, so a dev cluster gets readable ports such as 9001, 9002, ...
 *
 * <p>A port free now may be taken by another program before the node binds it; this only avoids the obvious
 * clashes.
 */
public final class PortAllocator {
    private static final int ATTEMPTS = 200;

    private final InetAddress host;
    private final int firstPort;
    private final Set<Integer> handedOut = new HashSet<>();
    private int next;

    public PortAllocator(InetAddress host, int firstPort) {
        if (firstPort < 0 || firstPort > 65535) {
            throw new IllegalArgumentException("first port must be 0 or between 1 and 65535, got " + firstPort);
        }
        this.host = host;
        this.firstPort = firstPort;
        this.next = firstPort;
    }

    /** Ports the OS picks on {@code host}. */
    public static PortAllocator ephemeral(InetAddress host) {
        return new PortAllocator(host, 0);
    }

    /** Ports from {@code firstPort} upwards on {@code host}. */
    public static PortAllocator from(InetAddress host, int firstPort) {
        return new PortAllocator(host, firstPort);
    }

    /** The next free port. */
    public synchronized int next() throws IOException {
        for (int attempt = 0; attempt < ATTEMPTS || firstPort > 0 && next <= 65535; attempt++) {
            int candidate;
            if (firstPort == 0) {
                try (ServerSocket socket = new ServerSocket()) {
                    socket.bind(new InetSocketAddress(host, 0));
                    candidate = socket.getLocalPort();
                }
            } else {
                if (next > 65535) {
                    break;
                }
                candidate = next++;
            }
            if (!handedOut.contains(candidate) && canBind(host, candidate)) {
                handedOut.add(candidate);
                return candidate;
            }
        }
        throw new IOException("no free TCP+UDP port found on " + host.getHostAddress()
                + (firstPort > 0 ? " from " + firstPort : ""));
    }

    /** Whether {@code port} can be bound on {@code host} over both TCP and UDP right now. */
    public static boolean canBind(InetAddress host, int port) {
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.setReuseAddress(false);
            tcp.bind(new InetSocketAddress(host, port));
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(host, port))) {
                return udp.getLocalPort() == port;
            }
        } catch (IOException e) {
            return false;
        }
    }
}
