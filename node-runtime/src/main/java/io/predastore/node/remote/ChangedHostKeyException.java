package io.predastore.node.remote;

import java.nio.file.Path;

/**
 * A host presented another key than the one {@code known_hosts} holds for it, as OpenSSH's "REMOTE HOST
 * IDENTIFICATION HAS CHANGED". The connection was refused before anything was sent. There is deliberately no way
 * around it in this code: the user removes the offending line from {@code known_hosts} (after finding out why the key
 * changed), and the host is then unknown and can be accepted again.
 */
public final class ChangedHostKeyException extends RemoteException {
    private static final long serialVersionUID = 1L;

    private final transient HostKey presented;
    private final transient HostKey known;
    private final transient Path knownHosts;
    private final int line;

    ChangedHostKeyException(SshTarget target, HostKey presented, HostKey known, Path knownHosts, int line) {
        super(target, "WARNING: the host key of " + target + " HAS CHANGED. It now presents an "
                + presented.displayType() + " key with fingerprint " + presented.fingerprint() + ", but line " + line
                + " of " + knownHosts + " holds another " + known.displayType() + " key for it ("
                + known.fingerprint() + "). Someone could be intercepting the connection (a man-in-the-middle "
                + "attack), or the host was reinstalled or its key replaced; nothing was sent to it. If you know "
                + "why the key changed, remove the offending line " + line + " from " + knownHosts + " (`ssh-keygen "
                + "-R '" + target.knownHostsName() + "' -f " + knownHosts + "`), then connect again and check the "
                + "new fingerprint before accepting it");
        this.presented = presented;
        this.known = known;
        this.knownHosts = knownHosts;
        this.line = line;
    }

    /** The key the host presents now. */
    public HostKey presented() {
        return presented;
    }

    /** The key {@code known_hosts} holds for it. */
    public HostKey known() {
        return known;
    }

    /** The file holding the offending line. */
    public Path knownHosts() {
        return knownHosts;
    }

    /** The offending line's number, from 1. */
    public int line() {
        return line;
    }
}
