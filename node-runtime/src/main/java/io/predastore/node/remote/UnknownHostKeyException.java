package io.predastore.node.remote;

import java.nio.file.Path;
import java.util.List;

/**
 * A host presented a key that {@code known_hosts} does not hold for it: first contact, or a key type not seen
 * before. Nothing was sent to the host. The caller shows {@link #key()}'s fingerprint and, once the user confirmed it,
 * calls {@link RemoteHost#acceptHostKey} with that fingerprint.
 */
public final class UnknownHostKeyException extends RemoteException {
    private static final long serialVersionUID = 1L;

    private final transient HostKey key;
    private final transient Path knownHosts;

    UnknownHostKeyException(SshTarget target, HostKey key, Path knownHosts, List<String> otherKnownTypes) {
        super(target, message(target, key, knownHosts, otherKnownTypes));
        this.key = key;
        this.knownHosts = knownHosts;
    }

    /** The key the host presented. */
    public HostKey key() {
        return key;
    }

    /** The file that does not hold it. */
    public Path knownHosts() {
        return knownHosts;
    }

    private static String message(SshTarget target, HostKey key, Path knownHosts, List<String> otherTypes) {
        String known = otherTypes.isEmpty() ? "it is not in " + knownHosts
                : knownHosts + " holds only " + String.join(" and ", otherTypes) + " keys for it";
        return "the authenticity of " + target + " cannot be established: " + known + ". It presents an "
                + key.displayType() + " key with fingerprint " + key.fingerprint() + ". Compare that with the "
                + "host's own (run `ssh-keygen -lf /etc/ssh/ssh_host_" + key.displayType().toLowerCase(
                        java.util.Locale.ROOT) + "_key.pub` on it) and accept it only if they are the same: confirm "
                + "the fingerprint when asked, or log in once with `ssh " + (target.port() == 22 ? ""
                        : "-p " + target.port() + " ") + target.user() + "@" + target.host()
                + "` and answer yes, which records it in " + knownHosts;
    }
}
