package io.predastore.node.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell scripts that find and stop remote nodes ({@link RemoteNodes#runningScript}, {@link
 * RemoteNodes#stopScript}), run here by {@code sh} in a directory that stands for the remote user's home, against
 * real processes whose command lines are (or are not) those of a node. Over SSH the same scripts run on the host.
 */
@EnabledOnOs(OS.LINUX)
class RemoteNodeScriptsTest {
    @TempDir
    Path home;

    private final RemoteNodes.Layout at = new RemoteNodes.Layout("predastore");

    /** A process whose command line reads like node {@code id}'s; it ends on SIGTERM unless {@code ignoreTerm}. */
    private static Process fakeNode(int id, boolean ignoreTerm) throws IOException {
        String body = (ignoreTerm ? "trap '' TERM; " : "trap 'exit 0' TERM; ") + "while :; do sleep 0.1; done";
        return new ProcessBuilder("sh", "-c", body, "--config", "predastore/cluster.toml", "--node",
                Integer.toString(id), "--log-file", "predastore/logs/node-" + id + ".log").start();
    }

    private void writePid(int id, String text) throws IOException {
        Path file = home.resolve(at.pidFile(id));
        Files.createDirectories(file.getParent());
        Files.writeString(file, text + "\n");
    }

    private String sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).directory(home.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void running_countsOnlyALiveProcessOfThatNode() throws Exception {
        Process node2 = fakeNode(2, false);
        Process node5 = fakeNode(5, false);
        try {
            writePid(1, "not-a-pid");
            writePid(2, Long.toString(node2.pid()));
            // A live process that is not node 3 (this JVM), and node 5's process named in node 6's pid file.
            writePid(3, Long.toString(ProcessHandle.current().pid()));
            writePid(6, Long.toString(node5.pid()));
            List<Integer> ids = List.of(1, 2, 3, 4, 6);

            Map<Integer, OptionalLong> running = RemoteNodes.parseRunning(sh(RemoteNodes.runningScript(at, ids)),
                    ids);

            assertThat(running).containsEntry(2, OptionalLong.of(node2.pid()))
                    .containsEntry(1, OptionalLong.empty()).containsEntry(3, OptionalLong.empty())
                    .containsEntry(4, OptionalLong.empty()).containsEntry(6, OptionalLong.empty());
        } finally {
            node2.destroyForcibly();
            node5.destroyForcibly();
        }
    }

    @Test
    void stop_endsANodeOnSigterm_andKillsOneThatIgnoresIt() throws Exception {
        Process polite = fakeNode(1, false);
        Process stubborn = fakeNode(2, true);
        try {
            long start = System.nanoTime();
            String out = sh(RemoteNodes.stopScript(polite.pid() + " " + stubborn.pid(), Duration.ofMillis(1000),
                    false));

            assertThat(out).contains("ended " + polite.pid() + "\n", "killed " + stubborn.pid() + "\n");
            assertThat(polite.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(stubborn.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(polite.exitValue()).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

            writePid(1, Long.toString(polite.pid()));
            assertThat(RemoteNodes.parseRunning(sh(RemoteNodes.runningScript(at, List.of(1))), List.of(1)))
                    .containsEntry(1, OptionalLong.empty());
        } finally {
            polite.destroyForcibly();
            stubborn.destroyForcibly();
        }
    }

    @Test
    void kill_sendsSigkillAtOnce() throws Exception {
        Process node = fakeNode(4, false);
        try {
            String out = sh(RemoteNodes.stopScript(Long.toString(node.pid()), Duration.ofSeconds(10), true));

            assertThat(out).contains("ended " + node.pid());
            assertThat(node.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(node.exitValue()).isEqualTo(128 + 9);
        } finally {
            node.destroyForcibly();
        }
    }

    /** A {@code java} in {@code dir} that prints {@code versionLine} as {@code java -version} does. */
    private static Path fakeJava(Path dir, String versionLine) throws IOException {
        Files.createDirectories(dir);
        Path java = dir.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho '" + versionLine + "' >&2\n");
        java.toFile().setExecutable(true);
        return java;
    }

    private String shWithPath(String script, Path pathDir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).directory(home.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", pathDir + ":/usr/bin:/bin");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void hostCheck_takesTheJavaOnThePath_whenItIsNewEnough() throws Exception {
        Path java = fakeJava(home.resolve("new"), "openjdk version \"21.0.1\" 2023-10-17");
        String out = shWithPath(RemoteNodes.HOST_CHECK_SCRIPT, java.getParent());

        RemoteNodes.HostCheck check = RemoteNodes.parseHostCheck(out);
        assertThat(check.os()).isEqualTo("Linux");
        assertThat(check.arch()).isNotBlank();
        assertThat(check.java()).isEqualTo(java.toString());
        assertThat(check.javaVersion()).contains("21.0.1");
        // The search stops at the first Java that will do.
        assertThat(out.lines().filter(l -> l.startsWith("java="))).hasSize(1);
    }

    @Test
    void hostCheck_anOldJavaOnThePath_looksUnderUsrLibJvm_andNamesTheOldOne() throws Exception {
        Path old = fakeJava(home.resolve("old"), "openjdk version \"11.0.2\" 2019-01-15");
        RemoteNodes.HostCheck check = RemoteNodes.parseHostCheck(shWithPath(RemoteNodes.HOST_CHECK_SCRIPT,
                old.getParent()));

        assertThat(check.others()).first().isEqualTo(old + " (openjdk version \"11.0.2\" 2019-01-15)");
        if (check.java() != null) {
            assertThat(check.java()).startsWith("/usr/lib/jvm/");
            assertThat(RemoteNodes.majorVersion(check.javaVersion())).isGreaterThanOrEqualTo(17);
        } else {
            assertThat(check.problem(io.predastore.node.remote.SshTarget.parse("a@h"))).contains("found only " + old);
        }
    }
}
