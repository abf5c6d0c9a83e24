package io.predastore.node.remote;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHFsyncExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatExtensionInfo;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatPathExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

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
 */
public final class RemoteHost implements AutoCloseable {
    /** The bytes of standard output and of standard error kept per command; the rest is counted and dropped. */
    public static final int MAX_OUTPUT = 1024 * 1024;
    /** How long the helper commands of an upload ({@code sha256sum}, {@code mkdir}, ...) may take. */
    static final Duration HELPER_TIMEOUT = Duration.ofMinutes(2);
    private static final int COPY_BUFFER = 64 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** statvfs's flag for a read-only mount. */
    private static final long ST_RDONLY = 1;

    private final SshTarget target;
    private final SshClient client;
    private final ClientSession session;

    private RemoteHost(SshTarget target, SshClient client, ClientSession session) {
        this.target = target;
        this.client = client;
        this.session = session;
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
        KnownHosts known = KnownHosts.load(settings.knownHosts());
        Keys keys = Keys.load(target, settings);
        Verifier verifier = new Verifier(target, known, false);
        SshClient client = newClient(known.keyTypesFor(target), verifier, keys.agent());
        ClientSession session = null;
        try {
            session = open(client, target, settings);
            for (KeyPair pair : keys.pairs()) {
                session.addPublicKeyIdentity(pair);
            }
            authenticate(session, target, settings, verifier, keys);
            return new RemoteHost(target, client, session);
        } catch (IOException | RuntimeException e) {
            closeQuietly(session, client, e);
            throw e;
        }
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
        KnownHosts known = KnownHosts.load(settings.knownHosts());
        Verifier recorder = new Verifier(target, known, true);
        SshClient client = newClient(known.keyTypesFor(target), recorder, null);
        ClientSession session = null;
        try {
            session = open(client, target, settings);
            session.waitFor(EnumSet.of(ClientSession.ClientSessionEvent.CLOSED), settings.authTimeout());
            HostKey presented = recorder.presented;
            if (presented == null) {
                throw new RemoteException(target, target + " did not present a host key within "
                        + seconds(settings.authTimeout()) + ": is an SSH server listening on " + target.address()
                        + "?");
            }
            try {
                known.verify(target, presented);
                return presented;
            } catch (UnknownHostKeyException unknown) {
                if (!presented.hasFingerprint(confirmedFingerprint)) {
                    throw new RemoteException(target, target + " now presents an " + presented.displayType()
                            + " key with fingerprint " + presented.fingerprint() + ", not the confirmed "
                            + confirmedFingerprint + "; nothing was written to " + known.file() + ". If the host's "
                            + "own key is " + confirmedFingerprint + ", something between here and the host is "
                            + "answering in its place");
                }
                KnownHosts.append(known.file(), target, presented, settings.hashKnownHosts());
                return presented;
            }
        } finally {
            closeQuietly(session, client, null);
        }
    }

    /** The host this connection goes to. */
    public SshTarget target() {
        return target;
    }

    /** The key the host presented (and {@code known_hosts} trusts). */
    public HostKey hostKey() {
        return HostKey.of(session.getServerKey());
    }

    /** Runs {@code command} (the words, quoted for the remote shell); see {@link #run(String, Duration)}. */
    public CommandResult run(List<String> command, Duration timeout) throws IOException {
        return run(Shell.join(command), timeout);
    }

    /**
     * Runs a shell command line and waits for it to end. Its standard input is empty; up to {@link #MAX_OUTPUT}
     * bytes of each output are kept. A command still running after {@code timeout} has its channel closed (which
     * ends most programs by a broken pipe or hang-up, but cannot be relied on to kill it) and this throws.
     *
     * @throws RemoteException when the timeout passes or the connection fails
     */
    public CommandResult run(String commandLine, Duration timeout) throws IOException {
        BoundedOutput out = new BoundedOutput(MAX_OUTPUT);
        BoundedOutput err = new BoundedOutput(MAX_OUTPUT);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (ChannelExec channel = session.createExecChannel(commandLine)) {
            channel.setIn(new ByteArrayInputStream(new byte[0]));
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(timeout);
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), left);
            if (!events.contains(ClientChannelEvent.CLOSED)) {
                channel.close(true);
                throw new RemoteException(target, "`" + abbreviate(commandLine) + "` did not finish on " + target
                        + " within " + seconds(timeout) + "; its channel was closed, but the command may still be "
                        + "running there");
            }
            Integer status = channel.getExitStatus();
            String signal = channel.getExitSignal();
            return new CommandResult(status == null ? -1 : status, signal, out.text(), err.text(), out.dropped(),
                    err.dropped());
        } catch (RemoteException e) {
            throw e;
        } catch (IOException e) {
            throw new RemoteException(target, "running `" + abbreviate(commandLine) + "` on " + target + " failed: "
                    + e.getMessage() + (session.isOpen() ? "" : " (the connection is closed; connect again)"), e);
        }
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
        checkPath(logFile, "log file");
        String dir = parentOf(logFile);
        String script = "umask 077 && " + (dir == null ? "" : "mkdir -p -- " + Shell.quote(dir) + " && ")
                + "setsid nohup " + Shell.join(command) + " >> " + Shell.quote(logFile) + " 2>&1 < /dev/null & "
                + "echo $!";
        CommandResult r = run(List.of("sh", "-c", script), HELPER_TIMEOUT);
        String pid = r.stdout().strip();
        if (!r.ok() || !pid.matches("\\d{1,10}")) {
            throw new RemoteException(target, "could not start `" + abbreviate(Shell.join(command)) + "` on " + target
                    + ": " + r.describe() + (pid.isEmpty() ? "" : " (printed '" + abbreviate(pid) + "')"));
        }
        return Long.parseLong(pid);
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
        checkPath(remotePath, "path");
        if (remotePath.endsWith("/")) {
            throw new IllegalArgumentException("the remote path '" + remotePath + "' names a directory, not a file");
        }
        if (mode < 0 || mode > 0777) {
            throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " is not permission bits "
                    + "(0 to 0777)");
        }
        String name = remotePath.substring(remotePath.lastIndexOf('/') + 1);
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("the remote path '" + remotePath + "' does not end in a file name");
        }
        String dir = parentOf(remotePath);
        Digest digest = Digest.of(local);
        try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            SftpClient.Attributes existing = statOrNull(sftp, remotePath);
            if (existing != null) {
                if (existing.isDirectory()) {
                    throw new RemoteException(target, remotePath + " on " + target + " is a directory; the file "
                            + local.getFileName() + " cannot replace it. Remove it or choose another path");
                }
                if (existing.getSize() == digest.size() && digest.sha256().equals(remoteSha256(sftp, remotePath))) {
                    if ((existing.getPermissions() & 0777) != mode) {
                        sftp.setStat(remotePath, new SftpClient.Attributes().perms(mode));
                    }
                    return new UploadResult(remotePath, false, digest.size(), digest.sha256());
                }
            }
            if (dir != null) {
                createDirectories(dir, remotePath);
            }
            String temp = (dir == null ? "" : dir + "/") + "." + name + ".upload-"
                    + HexFormat.of().formatHex(randomBytes(6));
            AtomicBoolean created = new AtomicBoolean();
            try {
                write(sftp, local, temp, created);
                String copied = remoteSha256(sftp, temp);
                if (!digest.sha256().equals(copied)) {
                    throw new RemoteException(target, "the copy of " + local + " on " + target + " (" + temp + ") has "
                            + "SHA-256 " + copied + ", not " + digest.sha256() + ": it was damaged on the way or on "
                            + "the remote disk. Nothing was replaced; try again, and check that disk if it repeats");
                }
                sftp.setStat(temp, new SftpClient.Attributes().perms(mode));
                rename(sftp, temp, remotePath);
            } catch (IOException e) {
                // Removed first, so that the free space measured for the message is what the disk really has.
                String left = !created.get() || removeQuietly(sftp, temp, e) ? "" : " (the temporary file " + temp
                        + " could not be removed; delete it by hand)";
                throw explain(e, sftp, dir, remotePath, digest.size(), left);
            }
            return new UploadResult(remotePath, true, digest.size(), digest.sha256());
        } catch (RemoteException e) {
            throw e;
        } catch (IOException e) {
            throw new RemoteException(target, "uploading " + local + " to " + remotePath + " on " + target
                    + " failed: " + e.getMessage() + (session.isOpen() ? "" : " (the connection is closed; connect "
                    + "again)"), e);
        }
    }

    /** Logs out and closes the connection. Detached commands keep running. */
    @Override
    public void close() {
        closeQuietly(session, client, null);
    }

    // ---- connecting ----

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
                    + "within " + seconds(settings.connectTimeout()) + ". Is the host up and reachable from here, and "
                    + "does SSH listen on port " + target.port() + "? (A firewall that drops packets looks the same)");
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
                        + "answer within " + seconds(settings.connectTimeout()) + ". Is the host up and reachable "
                        + "from here, and does SSH listen on port " + target.port() + "?", failure);
            }
        }
        return new RemoteException(target, "cannot connect to " + target.address() + " (" + target + "): "
                + failure.getMessage(), failure);
    }

    private static void authenticate(ClientSession session, SshTarget target, SshSettings settings,
                                     Verifier verifier, Keys keys) throws IOException {
        AuthFuture auth;
        try {
            auth = session.auth();
        } catch (IOException | RuntimeException e) {
            throw verifier.rejectionOr(new RemoteException(target, "logging in to " + target + " failed: "
                    + e.getMessage(), e));
        }
        if (!auth.await(settings.authTimeout())) {
            throw verifier.rejectionOr(new RemoteException(target, target + " accepted the connection but did not "
                    + "complete the SSH handshake and login within " + seconds(settings.authTimeout()) + ": is it an "
                    + "SSH server, and is it overloaded?"));
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

    /** Checks the server's key against {@code known_hosts}, or only records it (for {@link #acceptHostKey}). */
    private static final class Verifier implements ServerKeyVerifier {
        private final SshTarget target;
        private final KnownHosts known;
        private final boolean recordOnly;
        private volatile HostKey presented;
        private volatile RemoteException rejection;

        Verifier(SshTarget target, KnownHosts known, boolean recordOnly) {
            this.target = target;
            this.known = known;
            this.recordOnly = recordOnly;
        }

        @Override
        public boolean verifyServerKey(ClientSession session, SocketAddress address, PublicKey key) {
            HostKey hostKey;
            try {
                hostKey = HostKey.of(key);
            } catch (RuntimeException e) {
                rejection = new RemoteException(target, "the host key of " + target + " cannot be read: "
                        + e.getMessage(), e);
                return false;
            }
            presented = hostKey;
            if (recordOnly) {
                return false;
            }
            try {
                known.verify(target, hostKey);
                return true;
            } catch (RemoteException e) {
                rejection = e;
                return false;
            }
        }

        RemoteException rejectionOr(RemoteException other) {
            return rejection != null ? rejection : other;
        }
    }

    /** The keys to offer: loaded key files and the agent (when it answers), with what to say about them. */
    private record Keys(List<KeyPair> pairs, Path agent, List<String> offered, List<String> notes) {
        static Keys load(SshTarget target, SshSettings settings) throws RemoteException {
            List<KeyPair> pairs = new ArrayList<>();
            List<String> offered = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            for (Path file : settings.identities()) {
                for (KeyPair pair : loadIdentity(target, file, notes)) {
                    pairs.add(pair);
                    offered.add(file + " (" + HostKey.of(pair.getPublic()).describe() + ")");
                }
            }
            Path agent = settings.agentSocket().orElse(null);
            if (agent != null) {
                try (AgentClient client = new AgentClient(agent)) {
                    List<AgentClient.Identity> ids = client.list();
                    for (AgentClient.Identity id : ids) {
                        if (id.unusable() == null) {
                            offered.add("the ssh-agent's key '" + id.comment() + "' (" + id.encoded().describe()
                                    + ")");
                        } else {
                            notes.add("the ssh-agent's key '" + id.comment() + "' was not offered: " + id.unusable());
                        }
                    }
                    if (ids.isEmpty()) {
                        notes.add("the ssh-agent at " + agent + " holds no keys (add one with ssh-add)");
                    }
                } catch (IOException e) {
                    notes.add("the ssh-agent at " + agent + " (SSH_AUTH_SOCK) did not answer: " + e.getMessage());
                    agent = null;
                }
            }
            if (offered.isEmpty()) {
                String tried = settings.identities().isEmpty() ? "no key file was given or found in ~/.ssh ("
                        + String.join(", ", SshSettings.DEFAULT_IDENTITY_NAMES) + ")"
                        : "none of " + settings.identities() + " could be used";
                String agentText = settings.agentSocket().isEmpty() ? "no ssh-agent runs (SSH_AUTH_SOCK is not set)"
                        : "the ssh-agent offers none";
                throw new RemoteException(target, "no key to offer to " + target + ": " + tried + " and " + agentText
                        + ". Create one with `ssh-keygen -t ed25519` and add its public key to ~" + target.user()
                        + "/.ssh/authorized_keys on " + target.host() + ", or give one with --ssh-identity"
                        + new Keys(pairs, agent, offered, notes).notesSuffix());
            }
            return new Keys(List.copyOf(pairs), agent, List.copyOf(offered), List.copyOf(notes));
        }

        String notesSuffix() {
            return notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")";
        }

        private static List<KeyPair> loadIdentity(SshTarget target, Path file, List<String> notes)
                throws RemoteException {
            if (file.getFileName() != null && file.getFileName().toString().endsWith(".pub")) {
                throw new RemoteException(target, "the identity " + file + " is a public key; give the private key "
                        + "file (the same name without .pub)");
            }
            AtomicBoolean askedForPassphrase = new AtomicBoolean();
            List<KeyPair> pairs = new ArrayList<>();
            try (InputStream in = Files.newInputStream(file)) {
                Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null,
                        NamedResource.ofName(file.toString()), in, (session, resource, retry) -> {
                            askedForPassphrase.set(true);
                            return null;
                        });
                if (loaded != null) {
                    loaded.forEach(pairs::add);
                }
            } catch (NoSuchFileException e) {
                throw new RemoteException(target, "the identity file " + file + " does not exist; give a private "
                        + "key file such as ~/.ssh/id_ed25519", e);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                if (!askedForPassphrase.get()) {
                    throw new RemoteException(target, "cannot read the private key " + file + ": " + e.getMessage()
                            + ". Give an OpenSSH or PEM private key file", e);
                }
            }
            if (askedForPassphrase.get() && pairs.isEmpty()) {
                notes.add(file + " is protected by a passphrase and was not used: add it to your ssh-agent with "
                        + "`ssh-add " + file + "`");
                return List.of();
            }
            if (pairs.isEmpty()) {
                throw new RemoteException(target, "the identity file " + file + " holds no private key that can be "
                        + "read; give an OpenSSH or PEM private key file");
            }
            return pairs;
        }
    }

    // ---- uploading ----

    private void write(SftpClient sftp, Path local, String temp, AtomicBoolean created) throws IOException {
        try (InputStream in = Files.newInputStream(local);
             OutputStream out = sftp.write(temp, COPY_BUFFER, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create,
                     SftpClient.OpenMode.Exclusive)) {
            created.set(true);
            // Owner-only before the first byte, whatever the server's umask made of it.
            sftp.setStat(temp, new SftpClient.Attributes().perms(0600));
            in.transferTo(out);
        }
        OpenSSHFsyncExtension fsync = sftp.getExtension(OpenSSHFsyncExtension.class);
        if (fsync != null && fsync.isSupported()) {
            try (SftpClient.CloseableHandle handle = sftp.open(temp, SftpClient.OpenMode.Read)) {
                fsync.fsync(handle);
            }
        }
    }

    private void rename(SftpClient sftp, String from, String to) throws IOException {
        OpenSSHPosixRenameExtension posix = sftp.getExtension(OpenSSHPosixRenameExtension.class);
        if (posix != null && posix.isSupported()) {
            posix.posixRename(from, to);
            return;
        }
        CommandResult r = run(List.of("mv", "-f", "--", from, to), HELPER_TIMEOUT);
        if (!r.ok()) {
            throw new RemoteException(target, "could not move " + from + " to " + to + " on " + target + ": "
                    + r.describe());
        }
    }

    private void createDirectories(String dir, String forPath) throws IOException {
        CommandResult r = run("umask 077 && mkdir -p -- " + Shell.quote(dir), HELPER_TIMEOUT);
        if (r.ok()) {
            return;
        }
        String err = r.stderr().toLowerCase(Locale.ROOT);
        String advice;
        if (err.contains("permission denied")) {
            advice = target.user() + " may not create it: choose a directory " + target.user() + " owns (e.g. under "
                    + "its home), or have it created with the right owner";
        } else if (err.contains("no space left")) {
            advice = "the disk there is full: free space on it or choose another directory";
        } else if (err.contains("not a directory") || err.contains("file exists")) {
            advice = "a part of that path is a file, not a directory: remove it or choose another path";
        } else if (err.contains("read-only")) {
            advice = "its file system is read-only: choose a writable directory";
        } else {
            advice = "check the path and its permissions";
        }
        throw new RemoteException(target, "cannot create the directory " + dir + " on " + target + " for " + forPath
                + " (" + r.describe() + "): " + advice);
    }

    /** The remote file's SHA-256 in lower-case hex, by {@code sha256sum} or, where that is missing, read back. */
    private String remoteSha256(SftpClient sftp, String path) throws IOException {
        CommandResult r = run(List.of("sha256sum", "--", path), HELPER_TIMEOUT);
        if (r.ok()) {
            String out = r.stdout().strip();
            if (out.startsWith("\\")) {
                out = out.substring(1);  // sha256sum escapes the line of a name with a backslash or newline
            }
            if (out.length() >= 64 && out.substring(0, 64).matches("[0-9a-f]{64}")) {
                return out.substring(0, 64);
            }
            throw new RemoteException(target, "sha256sum on " + target + " printed '" + abbreviate(out) + "' for "
                    + path + ", not a SHA-256");
        }
        if (r.exitCode() == 127) {
            try (InputStream in = sftp.read(path)) {
                return Digest.of(in).sha256();
            }
        }
        throw new RemoteException(target, "cannot compute the SHA-256 of " + path + " on " + target + ": "
                + r.describe());
    }

    private SftpClient.Attributes statOrNull(SftpClient sftp, String path) throws IOException {
        try {
            return sftp.stat(path);
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE
                    || e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_PATH) {
                return null;
            }
            if (e.getStatus() == SftpConstants.SSH_FX_PERMISSION_DENIED) {
                throw new RemoteException(target, "permission denied on " + target + ": " + target.user() + " may "
                        + "not look at " + path + ". Choose a path " + target.user() + " owns, or fix the "
                        + "permissions of its directories", e);
            }
            throw e;
        }
    }

    /** Turns a failure while writing, verifying or renaming into a message that says what is wrong and what to do. */
    private IOException explain(IOException e, SftpClient sftp, String dir, String path, long size, String left) {
        if (e instanceof RemoteException r) {
            return left.isEmpty() ? r : new RemoteException(target, r.getMessage() + left, r);
        }
        String where = dir == null ? "the home directory of " + target.user()
                : dir.startsWith("/") ? dir : "~/" + dir;
        int status = e instanceof SftpException s ? s.getStatus() : -1;
        if (status == SftpConstants.SSH_FX_PERMISSION_DENIED) {
            return new RemoteException(target, "permission denied on " + target + ": " + target.user() + " may not "
                    + "write " + path + " in " + where + ". Choose a directory " + target.user() + " owns, or fix its "
                    + "permissions; nothing was replaced" + left, e);
        }
        if (status == SftpConstants.SSH_FX_NO_SUCH_FILE || status == SftpConstants.SSH_FX_NO_SUCH_PATH) {
            return new RemoteException(target, "no such directory on " + target + ": " + where + " (for " + path
                    + ") is missing, or was removed during the upload. Create it or choose another path; nothing was "
                    + "replaced" + left, e);
        }
        FileSystemState fs = fileSystem(sftp, dir);
        if (status == SftpConstants.SSH_FX_WRITE_PROTECT || fs.readOnly()) {
            return new RemoteException(target, "the file system of " + where + " on " + target + " is read-only; "
                    + "choose a writable directory for " + path + left, e);
        }
        long free = fs.free();
        if (status == SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM || status == SftpConstants.SSH_FX_QUOTA_EXCEEDED
                || (status == SftpConstants.SSH_FX_FAILURE && free >= 0 && free < size)) {
            return new RemoteException(target, "no space left on " + target + " for " + path + ": the file system of "
                    + where + " has " + bytes(Math.max(free, 0)) + " free and the file needs " + bytes(size) + ". "
                    + "Free space there or choose another directory; nothing was replaced" + (left.isEmpty()
                    ? " and the partial copy was removed" : left), e);
        }
        if (!session.isOpen()) {
            return new RemoteException(target, "the connection to " + target + " was lost while uploading " + path
                    + " (" + e.getMessage() + "); connect again and retry" + left, e);
        }
        return new RemoteException(target, "writing " + path + " on " + target + " failed: " + e.getMessage()
                + ". Check the disk and permissions of " + where + "; nothing was replaced" + left, e);
    }

    /** What OpenSSH's statvfs extension tells about a file system. */
    private record FileSystemState(long free, boolean readOnly) {
    }

    /**
     * The free bytes for this user in {@code dir} and whether it is mounted read-only (OpenSSH's statvfs extension);
     * free is -1 when it cannot be told.
     */
    private FileSystemState fileSystem(SftpClient sftp, String dir) {
        try {
            OpenSSHStatPathExtension statvfs = sftp.getExtension(OpenSSHStatPathExtension.class);
            if (statvfs == null || !statvfs.isSupported()) {
                return new FileSystemState(-1, false);
            }
            OpenSSHStatExtensionInfo info = statvfs.stat(dir == null ? "." : dir);
            long blocks = target.user().equals("root") ? info.f_bfree : info.f_bavail;
            long free = blocks * (info.f_frsize > 0 ? info.f_frsize : info.f_bsize);
            return new FileSystemState(free, (info.f_flag & ST_RDONLY) != 0);
        } catch (IOException | RuntimeException e) {
            return new FileSystemState(-1, false);
        }
    }

    /** Removes {@code path}; false (with the reason added to {@code into}) when it exists and could not be. */
    private boolean removeQuietly(SftpClient sftp, String path, Throwable into) {
        try {
            sftp.remove(path);
            return true;
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return true;
            }
            into.addSuppressed(e);
            return false;
        } catch (IOException | RuntimeException e) {
            into.addSuppressed(e);
            return false;
        }
    }

    // ---- helpers ----

    /** The directory part of a remote path, or null when it has none (a name in the home directory). */
    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            return null;
        }
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    private static void checkPath(String path, String what) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("the remote " + what + " is empty");
        }
        if (path.indexOf('\0') >= 0 || path.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("the remote " + what + " '" + abbreviate(path) + "' holds a NUL or "
                    + "newline");
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** The SHA-256 and size of a stream's bytes. */
    private record Digest(String sha256, long size) {
        static Digest of(Path file) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                return of(in);
            } catch (NoSuchFileException e) {
                throw new IOException("the local file " + file + " does not exist", e);
            }
        }

        static Digest of(InputStream in) throws IOException {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this Java has no SHA-256", e);
            }
            byte[] buffer = new byte[COPY_BUFFER];
            long size = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
                size += n;
            }
            return new Digest(HexFormat.of().formatHex(sha.digest()), size);
        }
    }
}
