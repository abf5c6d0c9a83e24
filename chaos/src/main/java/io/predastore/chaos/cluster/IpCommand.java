package io.predastore.chaos.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Runs iproute2's {@code ip} and fails with its error output. Stateless, so thread-safe. */
final class IpCommand {
    static final String HOW_TO_RUN = "network namespaces need root (or CAP_SYS_ADMIN and CAP_NET_ADMIN, e.g. a "
            + "privileged container) and iproute2's `ip` (Debian/Ubuntu: apt-get install iproute2; Fedora/RHEL: dnf "
            + "install iproute); run the fault-injection suite as root, e.g. `sudo scripts/chaos.sh` or in CI as the "
            + "root user";
    private static final long TIMEOUT_SECONDS = 30;

    private IpCommand() {
    }

    /** The result of one command. */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    /** Runs {@code ip <args>} and returns its exit code and combined output. */
    static Result run(List<String> args) throws IOException {
        return run(args, "");
    }

    /** Runs {@code ip <args>} with {@code input} on its standard input (for {@code -batch -}). */
    static Result run(List<String> args, String input) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(args);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new HostsUnavailableException("cannot run `ip` (" + e.getMessage() + "): " + HOW_TO_RUN, e);
        }
        try {
            try (var stdin = p.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("`" + String.join(" ", cmd) + "` did not finish within " + TIMEOUT_SECONDS
                        + " s");
            }
            return new Result(p.exitValue(), out);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running `" + String.join(" ", cmd) + "`", e);
        }
    }

    /** Runs {@code ip <args>} and throws unless it succeeds. */
    static String check(String... args) throws IOException {
        Result r = run(List.of(args));
        if (!r.ok()) {
            String text = "`ip " + String.join(" ", args) + "` failed (exit " + r.exit() + "): " + r.output();
            if (denied(r.output())) {
                throw new HostsUnavailableException(text + "; " + HOW_TO_RUN, null);
            }
            throw new IOException(text);
        }
        return r.output();
    }

    /**
     * Runs {@code commands} (one {@code ip} command line each, without {@code ip}) inside namespace {@code ns} in
     * one {@code ip -n <ns> -batch -}, which stops at the first that fails, and throws if one did.
     */
    static void batch(String ns, List<String> commands) throws IOException {
        if (commands.isEmpty()) {
            return;
        }
        Result r = run(List.of("-n", ns, "-batch", "-"), String.join("\n", commands) + "\n");
        if (!r.ok()) {
            throw new IOException("`ip -n " + ns + " -batch -` of " + commands + " failed (exit " + r.exit() + "): "
                    + r.output());
        }
    }

    static boolean denied(String output) {
        String o = output.toLowerCase(Locale.ROOT);
        return o.contains("operation not permitted") || o.contains("permission denied");
    }
}
