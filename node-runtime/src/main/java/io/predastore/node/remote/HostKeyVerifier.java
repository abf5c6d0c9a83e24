package io.predastore.node.remote;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * The host key check of one connection: MINA SSHD's {@link KnownHostsServerKeyVerifier} deciding over a loaded
 * {@link KnownHosts} (a key on a line for the host is trusted; one marked {@code @revoked} never is; a host with no
 * line for its key's type is unknown; one whose line holds another key of that type has changed), with its outcomes
 * turned into this package's exceptions, whose messages say what to do. Never trust-all: an unknown key is refused
 * with its fingerprint, or, when the user confirmed a fingerprint ({@link #accepting}), accepted and recorded only if
 * it has exactly that fingerprint. A changed key is always refused and never replaced.
 *
 * <p>What is changed from MINA's verifier, and why: it is given the lines already read by {@link KnownHosts} (which
 * skips unreadable lines and numbers them); a host is looked up by the name the user gave
 * ({@link SshTarget#knownHostsName()}), not also by the address it resolved to (OpenSSH's default since
 * {@code CheckHostIP} became off); only lines for the presented key's type decide, so a host known by another type of
 * key is unknown rather than changed (as in OpenSSH); accepted keys are written by {@link KnownHosts#append}.
 */
final class HostKeyVerifier extends KnownHostsServerKeyVerifier {
    private final SshTarget target;
    private final KnownHosts known;
    private final FirstContact firstContact;
    private final boolean hashed;
    private volatile HostKey presented;
    private volatile RemoteException rejection;

    private HostKeyVerifier(SshTarget target, KnownHosts known, FirstContact firstContact, boolean hashed) {
        super(firstContact, known.file());
        this.target = target;
        this.known = known;
        this.firstContact = firstContact;
        this.hashed = hashed;
    }

    /** Trusts only keys {@code known} holds for {@code target}; refuses an unknown key with its fingerprint. */
    static HostKeyVerifier checking(SshTarget target, KnownHosts known) {
        return new HostKeyVerifier(target, known, new FirstContact(target, known, null), false);
    }

    /**
     * Also accepts an unknown key that has {@code confirmedFingerprint}, appending it to the {@code known_hosts} file
     * (with a hashed host name when {@code hashed}).
     */
    static HostKeyVerifier accepting(SshTarget target, KnownHosts known, String confirmedFingerprint,
                                     boolean hashed) {
        return new HostKeyVerifier(target, known, new FirstContact(target, known, confirmedFingerprint), hashed);
    }

    /** Decides on {@code key} without a connection (what a connection's check would decide): returns or throws. */
    void check(HostKey key) throws RemoteException {
        boolean trusted = verifyServerKey(null, null, key.publicKey());
        RemoteException rejected = rejectionOr(trusted ? null : new RemoteException(target, "the host key of "
                + target + " (" + key.describe() + ") was refused"));
        if (rejected != null) {
            throw rejected;
        }
    }

    /** The key the host presented, or null when it presented none (yet). */
    HostKey presented() {
        return presented;
    }

    /** Why the key was refused (or could not be recorded), or {@code other} when it was not. */
    RemoteException rejectionOr(RemoteException other) {
        RemoteException r = rejection;
        if (r == null) {
            r = firstContact.refusal;
        }
        return r != null ? r : other;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        try {
            presented = HostKey.of(serverKey);
        } catch (IllegalArgumentException e) {
            rejection = new RemoteException(target, "the host key of " + target + " cannot be read: "
                    + e.getMessage(), e);
            return false;
        }
        return super.verifyServerKey(session, remoteAddress, serverKey);
    }

    @Override
    protected List<HostEntryPair> reloadKnownHosts(ClientSession session, Path file) {
        List<HostEntryPair> pairs = new ArrayList<>();
        for (KnownHosts.Entry e : known.entries()) {
            pairs.add(new HostEntryPair(e.parsed(), e.key().publicKey()));
        }
        return pairs;
    }

    @Override
    protected Collection<SshdSocketAddress> resolveHostNetworkIdentities(ClientSession session,
                                                                         SocketAddress remoteAddress) {
        return List.of(new SshdSocketAddress(target.host(), target.port()));
    }

    @Override
    protected List<HostEntryPair> findKnownHostEntries(ClientSession session, SocketAddress remoteAddress,
                                                       Collection<HostEntryPair> knownHosts) {
        HostKey key = presented;
        List<HostEntryPair> sameType = new ArrayList<>();
        for (HostEntryPair p : super.findKnownHostEntries(session, remoteAddress, knownHosts)) {
            if (key.type().equals(p.getHostEntry().getKeyEntry().getKeyType())) {
                sameType.add(p);
            }
        }
        return sameType;
    }

    @Override
    public boolean acceptModifiedServerKey(ClientSession session, SocketAddress remoteAddress, KnownHostEntry entry,
                                           PublicKey expected, PublicKey actual) {
        rejection = new ChangedHostKeyException(target, HostKey.of(actual), HostKey.of(expected), known.file(),
                lineOf(entry));
        return false;
    }

    @Override
    protected void handleRevokedKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        HostKey key = HostKey.of(serverKey);
        int line = 0;
        for (KnownHosts.Entry e : known.entriesFor(target)) {
            if (e.marker() == KnownHosts.Marker.REVOKED && e.key().equals(key)) {
                line = e.line();
                break;
            }
        }
        rejection = new RemoteException(target, "the host key of " + target + " (" + key.describe() + ") is marked "
                + "@revoked on line " + line + " of " + known.file() + " and is never accepted; ask the host's "
                + "administrator for its new key");
    }

    @Override
    protected KnownHostEntry updateKnownHostsFile(ClientSession session, SocketAddress remoteAddress,
                                                  PublicKey serverKey, Path file, Collection<HostEntryPair> knownHosts)
            throws Exception {
        return KnownHostEntry.parseKnownHostEntry(KnownHosts.append(file, target, HostKey.of(serverKey), hashed));
    }

    @Override
    protected void handleKnownHostsFileUpdateFailure(ClientSession session, SocketAddress remoteAddress,
                                                     PublicKey serverKey, Path file,
                                                     Collection<HostEntryPair> knownHosts, Throwable reason) {
        rejection = new RemoteException(target, "the key of " + target + " (" + HostKey.of(serverKey).describe()
                + ") was confirmed but could not be recorded: " + reason.getMessage(), reason);
    }

    private int lineOf(KnownHostEntry entry) {
        for (KnownHosts.Entry e : known.entries()) {
            if (e.parsed() == entry) {
                return e.line();
            }
        }
        return 0;
    }

    /**
     * What MINA's verifier asks about a key the file does not hold for the host: refuse it, saying how to accept it,
     * or accept it when it has the fingerprint the user confirmed.
     */
    private static final class FirstContact implements ServerKeyVerifier {
        private final SshTarget target;
        private final KnownHosts known;
        private final String confirmed;
        private volatile RemoteException refusal;

        FirstContact(SshTarget target, KnownHosts known, String confirmed) {
            this.target = target;
            this.known = known;
            this.confirmed = confirmed;
        }

        @Override
        public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
            HostKey key = HostKey.of(serverKey);
            if (confirmed == null) {
                Set<String> otherTypes = new LinkedHashSet<>();
                for (KnownHosts.Entry e : known.entriesFor(target)) {
                    if (e.marker() == KnownHosts.Marker.NONE && !e.key().type().equals(key.type())) {
                        otherTypes.add(e.key().displayType());
                    }
                }
                refusal = new UnknownHostKeyException(target, key, known.file(), List.copyOf(otherTypes));
                return false;
            }
            if (!key.hasFingerprint(confirmed)) {
                refusal = new RemoteException(target, target + " now presents an " + key.displayType() + " key with "
                        + "fingerprint " + key.fingerprint() + ", not the confirmed " + confirmed + "; nothing was "
                        + "written to " + known.file() + ". If the host's own key is " + confirmed + ", something "
                        + "between here and the host is answering in its place");
                return false;
            }
            return true;
        }
    }
}
