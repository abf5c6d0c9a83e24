package io.predastore.node.remote;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A logged-in SSH connection to one host: run commands, start a command that outlives the connection, upload files
 * over SFTP. Built on Apache MINA SSHD; see docs/remote.md for why.
 *
 * <p>{@link #connect} trusts a host only when {@code known_hosts} holds the key it presents (never trust-all): an
 * unknown host fails with {@link UnknownHostKeyException} carrying the key's fingerprint, which the user confirms and
 * {@link #acceptHostKey} records; a host whose key changed fails with {@link ChangedHostKeyException}, and nothing here
 * gets past that. Only public-key authentication is used: the settings' key files and the ssh-agent's keys. The
 * user's {@code ~/.ssh/config} is not read.
 *
 * <p>Remote paths are as the remote user sees them: absolute, or relative to their home directory. Commands run
 * through the remote user's login shell, which must understand POSIX {@code sh} syntax (bash, dash, zsh, ksh);
 * {@link Shell} quotes arguments. Every error names the host ({@code user@host:port}), what failed and what to do.
 * Thread-safe: commands and uploads may run concurrently on one connection.
 *
 * <p>The work is done by one class per job: {@link Connector} (connecting and logging in), {@link HostKeyVerifier}
 * (the host key check), {@link RemoteCommands} (commands, detached ones too) and {@link SftpUploader} (uploads).
 */
public final class RemoteHost implements AutoCloseable {
    /** The bytes of standard output and of standard error kept per command; the rest is counted and dropped. */
    public static final int MAX_OUTPUT = 1024 * 1024;

    private final SshTarget target;
    private final Connector.Connection connection;
    private final RemoteCommands commands;
    private final SftpUploader uploader;

    private RemoteHost(SshTarget target, Connector.Connection connection) {
        this.target = target;
        this.connection = connection;
        this.commands = new RemoteCommands(target, connection.session());
        this.uploader = new SftpUploader(target, connection.session(), commands);
    }

    /**
     * Connects and logs in: verifies the host key against the settings' {@code known_hosts}, then offers the key
     * files and the agent's keys.
     *
     * @throws UnknownHostKeyException when {@code known_hosts} does not know the host's key (first contact)
     * @throws ChangedHostKeyException when it holds another key for the host
     * @throws RemoteException         when the host cannot be reached, refuses every key, there is no key to offer, a
     *                                 key file cannot be read, or a timeout passes; the message says which and what
     *                                 to do
     */
    public static RemoteHost connect(SshTarget target, SshSettings settings) throws IOException {
        return new RemoteHost(target, Connector.connect(target, settings));
    }

    /**
     * Records the key {@code target} presents in the settings' {@code known_hosts}, after the user confirmed its
     * fingerprint (from an {@link UnknownHostKeyException}): connects again, and appends the key (with a hashed or
     * plain host name, as the settings say) only if the host still presents a key with that fingerprint. Nothing is
     * sent to the host but the SSH handshake. A host already trusted is left as it is.
     *
     * @param confirmedFingerprint {@code SHA256:...} as shown to the user
     * @return the key now trusted
     * @throws ChangedHostKeyException when {@code known_hosts} holds another key for the host: this method never
     *                                 replaces a key
     * @throws RemoteException         when the host now presents a key with another fingerprint (nothing is
     *                                 written), or cannot be reached
     */
    public static HostKey acceptHostKey(SshTarget target, SshSettings settings, String confirmedFingerprint)
            throws IOException {
        return Connector.acceptHostKey(target, settings, confirmedFingerprint);
    }

    /** The host this connection goes to. */
    public SshTarget target() {
        return target;
    }

    /** The key the host presented (and {@code known_hosts} trusts). */
    public HostKey hostKey() {
        return HostKey.of(connection.session().getServerKey());
    }

    /** Runs {@code command} (the words, quoted for the remote shell); see {@link #run(String, Duration)}. */
    public CommandResult run(List<String> command, Duration timeout) throws IOException {
        return commands.run(command, timeout);
    }

    /**
     * Runs a shell command line and waits for it to end. Its standard input is empty; up to {@link #MAX_OUTPUT}
     * bytes of each output are kept. A command still running after {@code timeout} has its channel closed (which
     * ends most programs by a broken pipe or hang-up, but cannot be relied on to kill it) and this throws.
     *
     * @throws RemoteException when the timeout passes or the connection fails
     */
    public CommandResult run(String commandLine, Duration timeout) throws IOException {
        return commands.run(commandLine, timeout);
    }

    /**
     * Starts {@code command} so that it outlives this connection and returns its process id on the host. It runs as
     * {@code setsid nohup COMMAND >> LOG 2>&1 < /dev/null &} under {@code sh} with umask 077: in a session of its own
     * (no controlling terminal, so the end of the SSH session sends it no hang-up), with its output appended to
     * {@code logFile} (created owner-only with its missing directories) and nothing on its input. The pid is the
     * command's own: in the background of a non-interactive shell it is not a process-group leader, so
     * {@code setsid} does not fork, and {@code nohup} execs it.
     *
     * <p>Whether the command keeps running is for the caller to check (e.g. {@code kill -0 PID}, or its log): a
     * program that is not found ends at once with status 127, noted in the log.
     *
     * @throws RemoteException when the shell could not start it
     */
    public long startDetached(List<String> command, String logFile) throws IOException {
        return commands.startDetached(command, logFile);
    }

    /**
     * Copies {@code local} to {@code remotePath} over SFTP, so that the remote file has exactly its content and
     * {@code mode}, or is untouched. When the remote file already has the same SHA-256 nothing is copied (its mode
     * is set). Otherwise the missing directories are created owner-only ({@code rwx------}), the content is
     * written to a temporary file beside the target ({@code .NAME.upload-RANDOM}, owner-only while written),
     * flushed to disk, its SHA-256 is computed on the host ({@code sha256sum}, or by reading it back where that is
     * missing) and compared, and it is renamed into place (atomically: a reader sees the old file or the new one).
     * On any failure the temporary file is removed and the target is left as it was.
     *
     * @param mode the permission bits of the remote file, e.g. {@code 0600} or {@code 0755}
     * @throws RemoteException naming the host and path when the disk is full, a directory cannot be created, writing
     *                         is not permitted, the copy does not verify or the connection fails
     */
    public UploadResult upload(Path local, String remotePath, int mode) throws IOException {
        return uploader.upload(local, remotePath, mode);
    }

    /** Logs out and closes the connection. Detached commands keep running. */
    @Override
    public void close() {
        connection.close();
    }
}
