package io.predastore.node.remote;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;

/**
 * Commands on a host over one logged-in session: a command run to its end with a timeout and bounded output, and a
 * command started so that it outlives the session. Commands run through the remote user's login shell, which must
 * understand POSIX {@code sh} syntax; {@link Shell} quotes arguments. Thread-safe: each command has its own channel.
 */
final class RemoteCommands {
    /** How long the helper commands of an upload or a detached start ({@code sha256sum}, {@code mkdir}, ...) take. */
    static final Duration HELPER_TIMEOUT = Duration.ofMinutes(2);

    private final SshTarget target;
    private final ClientSession session;

    RemoteCommands(SshTarget target, ClientSession session) {
        this.target = target;
        this.session = session;
    }

    /** Runs {@code command} (the words, quoted for the remote shell); see {@link #run(String, Duration)}. */
    CommandResult run(List<String> command, Duration timeout) throws IOException {
        return run(Shell.join(command), timeout);
    }

    /**
     * Runs a shell command line and waits for it to end. Its standard input is empty; up to
     * {@link RemoteHost#MAX_OUTPUT} bytes of each output are kept. A command still running after {@code timeout} has
     * its channel closed (which ends most programs by a broken pipe or hang-up, but cannot be relied on to kill it)
     * and this throws.
     *
     * @throws RemoteException when the timeout passes or the connection fails
     */
    CommandResult run(String commandLine, Duration timeout) throws IOException {
        BoundedOutput out = new BoundedOutput(RemoteHost.MAX_OUTPUT);
        BoundedOutput err = new BoundedOutput(RemoteHost.MAX_OUTPUT);
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
                throw new RemoteException(target, "`" + Text.abbreviate(commandLine) + "` did not finish on " + target
                        + " within " + Text.seconds(timeout) + "; its channel was closed, but the command may still "
                        + "be running there");
            }
            Integer status = channel.getExitStatus();
            String signal = channel.getExitSignal();
            return new CommandResult(status == null ? -1 : status, signal, out.text(), err.text(), out.dropped(),
                    err.dropped());
        } catch (RemoteException e) {
            throw e;
        } catch (IOException e) {
            throw new RemoteException(target, "running `" + Text.abbreviate(commandLine) + "` on " + target
                    + " failed: " + e.getMessage() + (session.isOpen() ? "" : " (the connection is closed; connect "
                    + "again)"), e);
        }
    }

    /**
     * Starts {@code command} so that it outlives the session and returns its process id on the host: as
     * {@code setsid nohup COMMAND >> LOG 2>&1 < /dev/null &} under {@code sh} with umask 077 (see
     * {@link RemoteHost#startDetached}).
     *
     * @throws RemoteException when the shell could not start it
     */
    long startDetached(List<String> command, String logFile) throws IOException {
        RemotePaths.check(logFile, "log file");
        String dir = RemotePaths.parentOf(logFile);
        String script = "umask 077 && " + (dir == null ? "" : "mkdir -p -- " + Shell.quote(dir) + " && ")
                + "setsid nohup " + Shell.join(command) + " >> " + Shell.quote(logFile) + " 2>&1 < /dev/null & "
                + "echo $!";
        CommandResult r = run(List.of("sh", "-c", script), HELPER_TIMEOUT);
        String pid = r.stdout().strip();
        if (!r.ok() || !pid.matches("\\d{1,10}")) {
            throw new RemoteException(target, "could not start `" + Text.abbreviate(Shell.join(command)) + "` on "
                    + target + ": " + r.describe() + (pid.isEmpty() ? "" : " (printed '" + Text.abbreviate(pid)
                    + "')"));
        }
        return Long.parseLong(pid);
    }
}
