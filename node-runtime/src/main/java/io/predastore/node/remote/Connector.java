package io.predastore.node.remote;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.signature.Signature;

/**
 * Opens SSH sessions with MINA SSHD: sets up a client that does only what the settings say, connects within the
 * connect timeout, lets {@link HostKeyVerifier} check the host key, and logs in with public keys only. Every failure
 * becomes a {@link RemoteException} naming the host, the step that failed and what to do.
 */
final class Connector {
    /** A logged-in session and the client that runs it; closing closes both. */
    record Connection(SshClient client, ClientSession session) implements AutoCloseable {
        @Override
        public void close() {
            closeQuietly(session, client, null);
        }
    }

    private Connector() {
    }

    /**
     * Connects and logs in: verifies the host key against the settings' {@code known_hosts}, then offers the key
     * files and the agent's keys.
     *
     * @throws UnknownHostKeyException when {@code known_hosts} does not know the host's key (first contact)
     * @throws ChangedHostKeyException when it holds another key for the host
     * @throws RemoteException         when the host cannot be reached, refuses every key, there is no key to offer, a
     *                                 key file cannot be read, or a timeout passes
     */
    static Connection connect(SshTarget target, SshSettings settings) throws IOException {
        KnownHosts known = KnownHosts.load(settings.knownHosts());
        ClientKeys keys = ClientKeys.load(target, settings);
        HostKeyVerifier verifier = HostKeyVerifier.checking(target, known);
        SshClient client = newClient(known.keyTypesFor(target), verifier, keys.agent());
        ClientSession session = null;
        try {
            session = open(client, target, settings);
            for (KeyPair pair : keys.pairs()) {
                session.addPublicKeyIdentity(pair);
            }
            authenticate(session, target, settings, verifier, keys);
            return new Connection(client, session);
        } catch (IOException | RuntimeException e) {
            closeQuietly(session, client, e);
            throw e;
        }
    }

    /**
     * Connects as far as the host key check, whose verifier accepts an unknown key only with
     * {@code confirmedFingerprint} and then appends it to {@code known_hosts}; logs in to nothing.
     *
     * @return the key the host presented, now trusted
     * @throws ChangedHostKeyException when {@code known_hosts} holds another key for the host
     * @throws RemoteException         when the host presents a key with another fingerprint (nothing is written),
     *                                 the key could not be recorded, or the host cannot be reached
     */
    static HostKey acceptHostKey(SshTarget target, SshSettings settings, String confirmedFingerprint)
            throws IOException {
        KnownHosts known = KnownHosts.load(settings.knownHosts());
        HostKeyVerifier verifier = HostKeyVerifier.accepting(target, known, confirmedFingerprint,
                settings.hashKnownHosts());
        SshClient client = newClient(known.keyTypesFor(target), verifier, null);
        ClientSession session = null;
        try {
            session = open(client, target, settings);
            // The key exchange ends waiting for a login (key trusted) or closed (key refused); no login follows.
            session.waitFor(EnumSet.of(ClientSession.ClientSessionEvent.WAIT_AUTH,
                    ClientSession.ClientSessionEvent.CLOSED), settings.authTimeout());
            RemoteException rejection = verifier.rejectionOr(null);
            if (rejection != null) {
                throw rejection;
            }
            HostKey presented = verifier.presented();
            if (presented == null) {
                throw new RemoteException(target, target + " did not present a host key within "
                        + Text.seconds(settings.authTimeout()) + ": is an SSH server listening on " + target.address()
                        + "?");
            }
            return presented;
        } finally {
            closeQuietly(session, client, null);
        }
    }

    /**
     * The signature algorithms in the order to ask the server for its host key: the types {@code known_hosts} holds
     * for the host first (as OpenSSH does, so a known host is not refused for showing another of its keys), then
     * Ed25519 (OpenSSH's own first choice), then the rest; certificates are left out (host certificates are not
     * accepted).
     */
    static List<NamedFactory<Signature>> hostKeyPreference(List<NamedFactory<Signature>> available,
                                                           Set<String> knownTypes) {
        List<NamedFactory<Signature>> known = new ArrayList<>();
        List<NamedFactory<Signature>> ed25519 = new ArrayList<>();
        List<NamedFactory<Signature>> rest = new ArrayList<>();
        for (NamedFactory<Signature> f : available) {
            String name = f.getName();
            if (name.contains("-cert-v01@openssh.com")) {
                continue;
            }
            String keyType = name.startsWith("rsa-sha2-") ? "ssh-rsa" : name;
            if (knownTypes.contains(keyType)) {
                known.add(f);
            } else if (name.equals("ssh-ed25519")) {
                ed25519.add(f);
            } else {
                rest.add(f);
            }
        }
        List<NamedFactory<Signature>> ordered = new ArrayList<>(known);
        ordered.addAll(ed25519);
        ordered.addAll(rest);
        return ordered;
    }

    private static SshClient newClient(Set<String> knownTypes, ServerKeyVerifier verifier, Path agent) {
        SshClient client = SshClient.setUpDefaultClient();
        // Only what the settings say: no ~/.ssh/config, no keys found by the library itself, public keys only.
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.setServerKeyVerifier(verifier);
        client.setSignatureFactories(hostKeyPreference(client.getSignatureFactories(), knownTypes));
        if (agent != null) {
            client.setAgentFactory(AgentClient.factory(agent));
        }
        client.start();
        return client;
    }

    private static ClientSession open(SshClient client, SshTarget target, SshSettings settings) throws IOException {
        ConnectFuture future;
        try {
            future = client.connect(target.user(), target.host(), target.port());
        } catch (IOException | RuntimeException e) {
            throw connectFailure(target, settings, e);
        }
        if (!future.await(settings.connectTimeout())) {
            future.cancel();
            throw new RemoteException(target, "cannot connect to " + target.address() + " (" + target + "): no answer "
                    + "within " + Text.seconds(settings.connectTimeout()) + ". Is the host up and reachable from "
                    + "here, and does SSH listen on port " + target.port() + "? (A firewall that drops packets looks "
                    + "the same)");
        }
        if (future.getException() != null) {
            throw connectFailure(target, settings, future.getException());
        }
        return future.getClientSession();
    }

    private static RemoteException connectFailure(SshTarget target, SshSettings settings, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return new RemoteException(target, "connection to " + target.address() + " refused (" + target
                        + "): nothing listens there. Is the SSH server running on that host, and is the port right?",
                        failure);
            }
            if (t instanceof NoRouteToHostException) {
                return new RemoteException(target, "no route to " + target.address() + " (" + target + "): the host "
                        + "is down or its network cannot be reached from here", failure);
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return new RemoteException(target, "cannot resolve the host name '" + target.host() + "' (" + target
                        + "): check its spelling, or give its IP address", failure);
            }
            if (t instanceof SocketTimeoutException || t instanceof InterruptedByTimeoutException) {
                return new RemoteException(target, "cannot connect to " + target.address() + " (" + target + "): no "
                        + "answer within " + Text.seconds(settings.connectTimeout()) + ". Is the host up and "
                        + "reachable from here, and does SSH listen on port " + target.port() + "?", failure);
            }
        }
        return new RemoteException(target, "cannot connect to " + target.address() + " (" + target + "): "
                + failure.getMessage(), failure);
    }

    private static void authenticate(ClientSession session, SshTarget target, SshSettings settings,
                                     HostKeyVerifier verifier, ClientKeys keys) throws IOException {
        AuthFuture auth;
        try {
            auth = session.auth();
        } catch (IOException | RuntimeException e) {
            throw verifier.rejectionOr(new RemoteException(target, "logging in to " + target + " failed: "
                    + e.getMessage(), e));
        }
        if (!auth.await(settings.authTimeout())) {
            throw verifier.rejectionOr(new RemoteException(target, target + " accepted the connection but did not "
                    + "complete the SSH handshake and login within " + Text.seconds(settings.authTimeout()) + ": is "
                    + "it an SSH server, and is it overloaded?"));
        }
        if (auth.isSuccess()) {
            return;
        }
        RemoteException rejection = verifier.rejectionOr(null);
        if (rejection != null) {
            throw rejection;
        }
        Throwable failure = auth.getException();
        String text = failure == null ? "" : String.valueOf(failure.getMessage());
        if (text.contains("No more authentication methods") || text.contains("authentication")
                || text.contains("Too many")) {
            throw new RemoteException(target, target + " refused every key offered: " + String.join(", ",
                    keys.offered()) + ". Add one of their public keys to ~" + target.user()
                    + "/.ssh/authorized_keys on " + target.host() + " (e.g. `ssh-copy-id "
                    + (target.port() == 22 ? "" : "-p " + target.port() + " ") + target.user() + "@" + target.host()
                    + "`), or give the right private key (--ssh-identity)" + keys.notesSuffix(), failure);
        }
        throw new RemoteException(target, "logging in to " + target + " failed: " + text + keys.notesSuffix(),
                failure);
    }

    private static void closeQuietly(ClientSession session, SshClient client, Throwable into) {
        try {
            if (session != null) {
                session.close(true);
            }
        } catch (RuntimeException e) {
            if (into != null) {
                into.addSuppressed(e);
            }
        }
        try {
            client.stop();
        } catch (RuntimeException e) {
            if (into != null) {
                into.addSuppressed(e);
            }
        }
    }
}
