package io.predastore.protocol.config;

import java.nio.file.Path;

/**
 * The {@code [ssh]} table of the cluster file: how the {@code cluster} commands reach the nodes that have an
 * {@code ssh} login (docs/remote.md). Every key is optional; nodes themselves never read the table.
 *
 * @param identity   the private key file to log in with; null for the ssh-agent's keys and {@code ~/.ssh/id_*}
 * @param knownHosts the {@code known_hosts} file that says which hosts are trusted; null for
 *                   {@code ~/.ssh/known_hosts}
 * @param remoteDir  the directory on each host that holds the node jar, the nodes' files and data: absolute, or
 *                   relative to the remote user's home; null for {@link #DEFAULT_REMOTE_DIR}
 */
public record SshConfig(Path identity, Path knownHosts, String remoteDir) {
    /** The remote directory when none is given, under the remote user's home. */
    public static final String DEFAULT_REMOTE_DIR = "predastore";
    /** No key, no file, the default directory. */
    public static final SshConfig DEFAULTS = new SshConfig(null, null, null);

    public SshConfig {
        if (remoteDir != null) {
            if (remoteDir.isBlank()) {
                throw ClusterConfigException.invalid("ssh.remote_dir", ClusterConfigWriter.quote(remoteDir),
                        "is blank: give a directory on the hosts, absolute or relative to the remote user's home, or "
                                + "leave the key out for \"" + DEFAULT_REMOTE_DIR + "\"");
            }
            for (int i = 0; i < remoteDir.length(); i++) {
                char c = remoteDir.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    throw ClusterConfigException.invalid("ssh.remote_dir", ClusterConfigWriter.quote(remoteDir),
                            "holds a control character; give a plain directory path");
                }
            }
            while (remoteDir.length() > 1 && remoteDir.endsWith("/")) {
                remoteDir = remoteDir.substring(0, remoteDir.length() - 1);
            }
        }
    }

    /** The remote directory, the default when none was given. */
    public String remoteDirOrDefault() {
        return remoteDir == null ? DEFAULT_REMOTE_DIR : remoteDir;
    }
}
