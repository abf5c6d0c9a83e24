package io.predastore.node.remote;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach hosts over SSH: the private keys to offer, the ssh-agent to ask, the {@code known_hosts} file that
 * decides which hosts are trusted, and how long to wait. {@link #defaults()} is what OpenSSH's {@code ssh} would use
 * for the current user. Immutable; the {@code with...} methods return changed copies.
 *
 * @param identities       private key files to offer, in order; each must exist and be readable when connecting
 * @param agentSocket      the ssh-agent's socket, whose keys are offered too; empty for none
 * @param knownHosts       the {@code known_hosts} file (need not exist yet)
 * @param hashKnownHosts   whether accepted keys are recorded with hashed host names (OpenSSH's
 *                         {@code HashKnownHosts}, on by default on Debian and Ubuntu)
 * @param connectTimeout   how long to wait for the TCP connection
 * @param authTimeout      how long to wait for the SSH handshake and authentication after connecting
 */
public record SshSettings(List<Path> identities, Optional<Path> agentSocket, Path knownHosts, boolean hashKnownHosts,
                          Duration connectTimeout, Duration authTimeout) {
    /** The key files looked for in {@code ~/.ssh}, in this order (as {@code ssh} tries them). */
    public static final List<String> DEFAULT_IDENTITY_NAMES = List.of("id_ed25519", "id_ecdsa", "id_rsa");
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(30);

    public SshSettings {
        identities = List.copyOf(identities);
        Objects.requireNonNull(agentSocket, "agentSocket");
        Objects.requireNonNull(knownHosts, "knownHosts");
        positive(connectTimeout, "connect timeout");
        positive(authTimeout, "authentication timeout");
    }

    /** The current user's: {@code ~/.ssh} keys that exist, {@code $SSH_AUTH_SOCK}, {@code ~/.ssh/known_hosts}. */
    public static SshSettings defaults() {
        return defaults(Path.of(System.getProperty("user.home")), System.getenv("SSH_AUTH_SOCK"));
    }

    /**
     * The defaults for a user whose home is {@code home} and whose {@code SSH_AUTH_SOCK} is {@code authSock} (null or
     * blank when no agent runs): the default key files of {@code home/.ssh} that exist, that agent, and
     * {@code home/.ssh/known_hosts}; hashed host names; the default timeouts.
     */
    public static SshSettings defaults(Path home, String authSock) {
        Path ssh = home.resolve(".ssh");
        List<Path> keys = new ArrayList<>();
        for (String name : DEFAULT_IDENTITY_NAMES) {
            Path key = ssh.resolve(name);
            if (Files.isRegularFile(key)) {
                keys.add(key);
            }
        }
        Optional<Path> agent = authSock == null || authSock.isBlank() ? Optional.empty()
                : Optional.of(Path.of(authSock));
        return new SshSettings(keys, agent, ssh.resolve("known_hosts"), true, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_AUTH_TIMEOUT);
    }

    /** These key files instead (e.g. {@code --ssh-identity FILE}). */
    public SshSettings withIdentities(List<Path> files) {
        return new SshSettings(files, agentSocket, knownHosts, hashKnownHosts, connectTimeout, authTimeout);
    }

    /** This agent socket, or none when {@code socket} is null. */
    public SshSettings withAgent(Path socket) {
        return new SshSettings(identities, Optional.ofNullable(socket), knownHosts, hashKnownHosts, connectTimeout,
                authTimeout);
    }

    /** This {@code known_hosts} file. */
    public SshSettings withKnownHosts(Path file) {
        return new SshSettings(identities, agentSocket, file, hashKnownHosts, connectTimeout, authTimeout);
    }

    /** Accepted keys recorded with hashed ({@code true}) or plain host names. */
    public SshSettings withHashKnownHosts(boolean hashed) {
        return new SshSettings(identities, agentSocket, knownHosts, hashed, connectTimeout, authTimeout);
    }

    /** These timeouts. */
    public SshSettings withTimeouts(Duration connect, Duration auth) {
        return new SshSettings(identities, agentSocket, knownHosts, hashKnownHosts, connect, auth);
    }

    private static void positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("the " + what + " must be positive, not " + d);
        }
    }
}
