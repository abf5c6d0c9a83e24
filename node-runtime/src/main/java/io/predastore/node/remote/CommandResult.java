package io.predastore.node.remote;

/**
 * How a remote command ended and what it printed. Output beyond {@link RemoteHost#MAX_OUTPUT} bytes per stream is
 * dropped (the first bytes are kept) and counted.
 *
 * @param exitCode      the exit status, or -1 when the command ended by a signal or the server reported none
 * @param exitSignal    the signal that ended it ({@code KILL}, ...), or null
 * @param stdout        standard output, as UTF-8
 * @param stderr        standard error, as UTF-8
 * @param stdoutDropped bytes of standard output not kept
 * @param stderrDropped bytes of standard error not kept
 */
public record CommandResult(int exitCode, String exitSignal, String stdout, String stderr, long stdoutDropped,
                            long stderrDropped) {
    /** Whether it exited with status 0. */
    public boolean ok() {
        return exitCode == 0 && exitSignal == null;
    }

    /** How it ended, for messages: {@code exit status 2: <last line of stderr>} or {@code signal KILL}. */
    public String describe() {
        String end = exitSignal != null ? "signal " + exitSignal : "exit status " + exitCode;
        String err = stderr.strip();
        if (err.isEmpty()) {
            return end;
        }
        String last = err.substring(err.lastIndexOf('\n') + 1);
        return end + ": " + (last.length() > 300 ? last.substring(0, 300) + "..." : last);
    }
}
