package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.predastore.node.remote.ChangedHostKeyException;
import io.predastore.node.remote.CommandResult;
import io.predastore.node.remote.HostKey;
import io.predastore.node.remote.RemoteException;
import io.predastore.node.remote.RemoteHost;
import io.predastore.node.remote.SshSettings;
import io.predastore.node.remote.SshTarget;
import io.predastore.node.remote.SshTestHosts;
import io.predastore.node.remote.UnknownHostKeyException;
import io.predastore.node.remote.UploadResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH layer ({@code node.remote}) against two real hosts: network namespaces, each with OpenSSH's own sshd
 * ({@link SshTestHosts}). Commands, uploads over SFTP (verified, skipped when unchanged, replaced when changed, refused
 * cleanly on a full disk, in a directory the user may not write, on a read-only file system), a command that outlives
 * its session, host keys (unknown, accepted, changed), a wrong key, keys from a real ssh-agent, and a host that is not
 * there.
 *
 * <p>Without root or OpenSSH's server the class is skipped on a developer's machine but fails when {@code CI=true}.
 */
class RemoteHostIT {
    private static final Duration SHORT = Duration.ofSeconds(20);

    static SshTestHosts hosts;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startHosts() throws IOException {
        try {
            hosts = SshTestHosts.start(2);
        } catch (SshTestHosts.Unavailable e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("the SSH tests need real SSH hosts, which CI must provide: " + e.getMessage(), e);
            }
            Assumptions.abort("skipped outside CI, SSH test hosts cannot be made here: " + e.getMessage());
        }
    }

    @AfterAll
    static void stopHosts() throws IOException {
        if (hosts == null) {
            return;
        }
        String prefix = hosts.runPrefix();
        String files = hosts.home(1).getParent().getParent().toString();
        hosts.close();
        ProcessBuilder pb = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true);
        Process p = pb.start();
        String namespaces = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(namespaces).as("namespaces left").doesNotContain(prefix);
        assertThat(ProcessHandle.allProcesses().flatMap(h -> h.info().commandLine().stream())
                .filter(c -> c.contains("sshd") && c.contains(files))).as("sshd left").isEmpty();
        assertThat(Path.of(files)).as("files left").doesNotExist();
    }

    @Test
    void runsCommands_onEachHost_withExitCodeAndBothOutputs() throws IOException {
        for (int n = 1; n <= 2; n++) {
            try (RemoteHost host = RemoteHost.connect(hosts.target(n), hosts.settings())) {
                assertThat(host.hostKey().fingerprint()).isEqualTo(hosts.hostKeyFingerprint(n));
                CommandResult addr = host.run(List.of("ip", "-4", "-o", "addr", "show", "dev", "eth0"), SHORT);
                assertThat(addr.ok()).as(addr.describe()).isTrue();
                assertThat(addr.stdout()).contains(" " + hosts.address(n) + "/24");

                CommandResult mixed = host.run("echo out; echo 'it''s err' >&2; echo \"$HOME\"; exit 3", SHORT);
                assertThat(mixed.exitCode()).isEqualTo(3);
                assertThat(mixed.ok()).isFalse();
                assertThat(mixed.stdout()).isEqualTo("out\n/root\n");
                assertThat(mixed.stderr()).isEqualTo("its err\n");

                // Quoting: every word arrives as it is; and no command waits for input.
                CommandResult words = host.run(List.of("printf", "[%s]", "a b", "it's", "$HOME", ""), SHORT);
                assertThat(words.stdout()).isEqualTo("[a b][it's][$HOME][]");
                assertThat(host.run(List.of("cat"), SHORT).ok()).isTrue();
            }
        }
        // Each host has its own home: a file written on host 1 is not on host 2.
        try (RemoteHost one = RemoteHost.connect(hosts.target(1), hosts.settings());
             RemoteHost two = RemoteHost.connect(hosts.target(2), hosts.settings())) {
            assertThat(one.run("echo one > whoami.txt", SHORT).ok()).isTrue();
            assertThat(two.run("cat whoami.txt", SHORT).ok()).isFalse();
            assertThat(hosts.home(1).resolve("whoami.txt")).hasContent("one");
        }
    }

    @Test
    void commandPastItsTimeout_failsNamingTheHost() throws IOException {
        try (RemoteHost host = RemoteHost.connect(hosts.target(1), hosts.settings())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> host.run("sleep 30", Duration.ofSeconds(1)))
                    .isInstanceOf(RemoteException.class)
                    .hasMessageContaining("`sleep 30` did not finish on " + hosts.target(1) + " within 1 s");
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
            // The connection is still usable.
            assertThat(host.run("true", SHORT).ok()).isTrue();
        }
    }

    @Test
    void upload_verifies_skipsWhenUnchanged_replacesWhenChanged() throws IOException {
        Path local = tmp.resolve("runtime.bin");
        Files.write(local, random(300 * 1024, 1));
        Path remote = hosts.home(1).resolve("deploy/runtime/bin/runtime.bin");
        try (RemoteHost host = RemoteHost.connect(hosts.target(1), hosts.settings())) {
            UploadResult first = host.upload(local, "deploy/runtime/bin/runtime.bin", 0755);
            assertThat(first.copied()).isTrue();
            assertThat(first.size()).isEqualTo(300 * 1024);
            assertThat(remote).hasSameBinaryContentAs(local);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(remote))).isEqualTo("rwxr-xr-x");
            for (Path dir : List.of(remote.getParent(), remote.getParent().getParent(), hosts.home(1).resolve(
                    "deploy"))) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).as(dir.toString())
                        .isEqualTo("rwx------");
            }
            // The remote's own sha256sum agrees.
            CommandResult sum = host.run(List.of("sha256sum", "deploy/runtime/bin/runtime.bin"), SHORT);
            assertThat(sum.stdout()).startsWith(first.sha256() + " ");

            long modified = Files.getLastModifiedTime(remote).toMillis();
            UploadResult second = host.upload(local, "deploy/runtime/bin/runtime.bin", 0755);
            assertThat(second.copied()).as("same content again").isFalse();
            assertThat(second.sha256()).isEqualTo(first.sha256());
            assertThat(Files.getLastModifiedTime(remote).toMillis()).isEqualTo(modified);

            Files.write(local, random(200 * 1024, 2));
            UploadResult third = host.upload(local, "/root/deploy/runtime/bin/runtime.bin", 0600);
            assertThat(third.copied()).isTrue();
            assertThat(third.sha256()).isNotEqualTo(first.sha256());
            assertThat(remote).hasSameBinaryContentAs(local);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(remote))).isEqualTo("rw-------");
            assertThat(listNames(remote.getParent())).containsExactly("runtime.bin");

            // A part of the path that is a file: a clean error naming host and path.
            Files.writeString(hosts.home(1).resolve("plainfile"), "x");
            assertThatThrownBy(() -> host.upload(local, "plainfile/sub/x.bin", 0600))
                    .isInstanceOf(RemoteException.class)
                    .hasMessageContaining("cannot create the directory plainfile/sub on " + hosts.target(1))
                    .hasMessageContaining("is a file, not a directory");
        }
    }

    @Test
    void uploadToAFullDisk_failsCleanly_andLeavesNoTemporaryFile() throws IOException {
        hosts.mountSmallDisk(2, "small", 256 * 1024);
        Path local = tmp.resolve("big.bin");
        Files.write(local, random(1024 * 1024, 3));
        try (RemoteHost host = RemoteHost.connect(hosts.target(2), hosts.settings())) {
            CommandResult df = host.run("df -k /root/small | tail -1", SHORT);
            assertThat(df.stdout()).as("the small disk is mounted there").startsWith("tmpfs");
            assertThatThrownBy(() -> host.upload(local, "small/big.bin", 0600))
                    .isInstanceOf(RemoteException.class)
                    .hasMessageContaining("no space left on " + hosts.target(2) + " for small/big.bin")
                    .hasMessageContaining("the file needs 1.0 MiB")
                    .hasMessageContaining("partial copy was removed");
            CommandResult left = host.run("ls -A /root/small", SHORT);
            assertThat(left.ok()).isTrue();
            assertThat(left.stdout()).as("files left on the full disk").isEmpty();
            // A file that fits still goes there.
            Path smallFile = tmp.resolve("small.bin");
            Files.write(smallFile, random(16 * 1024, 4));
            assertThat(host.upload(smallFile, "small/small.bin", 0600).copied()).isTrue();
        }
    }

    @Test
    void uploadWhereTheUserMayNotWrite_isPermissionDenied_andReplacesNothing() throws IOException {
        // Directories another user owns; root on the test hosts does not pass over file permissions (SshTestHosts).
        Path shared = Files.createDirectories(hosts.home(1).resolve("shared"));
        Path existing = Files.writeString(shared.resolve("app.bin"), "old");
        Path hidden = Files.createDirectories(hosts.home(1).resolve("hidden"));
        for (Path p : List.of(shared, existing, hidden)) {
            Files.setAttribute(p, "unix:uid", 65534);
        }
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(hidden, PosixFilePermissions.fromString("rwx------"));
        Path local = tmp.resolve("app.bin");
        Files.write(local, random(64 * 1024, 5));
        try (RemoteHost host = RemoteHost.connect(hosts.target(1), hosts.settings())) {
            assertThatThrownBy(() -> host.upload(local, "shared/app.bin", 0600))
                    .isInstanceOf(RemoteException.class)
                    .hasMessageContaining("permission denied on " + hosts.target(1) + ": root may not write "
                            + "shared/app.bin in ~/shared")
                    .hasMessageContaining("nothing was replaced");
            assertThat(existing).hasContent("old");
            assertThat(listNames(shared)).containsExactly("app.bin");

            assertThatThrownBy(() -> host.upload(local, "shared/sub/app.bin", 0600))
                    .isInstanceOf(RemoteException.class)
                    .hasMessageContaining("cannot create the directory shared/sub on " + hosts.target(1))
                    .hasMessageContaining("root may not create it");
            assertThatThrownBy(() -> host.upload(local, "hidden/app.bin", 0600))
                    .isInstanceOf(RemoteException.class)
                    .hasMessageContaining("permission denied on " + hosts.target(1) + ": root may not look at "
                            + "hidden/app.bin");
            assertThat(listNames(shared)).containsExactly("app.bin");
        }
    }

    @Test
    void uploadOntoAReadOnlyFileSystem_failsCleanly() throws IOException {
        hosts.mountReadOnlyDisk(1, "readonly");
        Path local = tmp.resolve("small-ro.bin");
        Files.write(local, random(16 * 1024, 6));
        try (RemoteHost host = RemoteHost.connect(hosts.target(1), hosts.settings())) {
            assertThat(host.run("touch readonly/probe", SHORT).stderr()).as("the read-only disk is mounted there")
                    .contains("Read-only file system");
            assertThatThrownBy(() -> host.upload(local, "readonly/app.bin", 0600))
                    .isInstanceOf(RemoteException.class)
                    .hasMessageContaining("the file system of ~/readonly on " + hosts.target(1) + " is read-only; "
                            + "choose a writable directory for readonly/app.bin");
            assertThatThrownBy(() -> host.upload(local, "readonly/sub/app.bin", 0600))
                    .isInstanceOf(RemoteException.class)
                    .hasMessageContaining("cannot create the directory readonly/sub on " + hosts.target(1))
                    .hasMessageContaining("its file system is read-only");
            CommandResult left = host.run("ls -A readonly", SHORT);
            assertThat(left.ok()).isTrue();
            assertThat(left.stdout()).isEmpty();
        }
    }

    @Test
    void detachedCommand_outlivesItsSession() throws IOException {
        long pid;
        try (RemoteHost host = RemoteHost.connect(hosts.target(2), hosts.settings())) {
            pid = host.startDetached(List.of("sh", "-c", "echo started; exec sleep 300"), "logs/sleeper.log");
        }
        try (RemoteHost host = RemoteHost.connect(hosts.target(2), hosts.settings())) {
            assertThat(host.run("kill -0 " + pid, SHORT).ok()).as("pid %d alive after the session ended", pid)
                    .isTrue();
            assertThat(host.run("ps -o sid= -p " + pid, SHORT).stdout().strip()).as("a session of its own")
                    .isEqualTo(Long.toString(pid));
            assertThat(host.run("ps -o comm= -p " + pid, SHORT).stdout().strip()).isEqualTo("sleep");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(hosts.home(2).resolve("logs/sleeper.log")).hasContent("started"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    hosts.home(2).resolve("logs/sleeper.log")))).isEqualTo("rw-------");
            assertThat(host.run("kill " + pid, SHORT).ok()).isTrue();
        }
    }

    @Test
    void unknownHostKey_isRefusedWithItsFingerprint_untilAccepted() throws IOException {
        for (boolean hashed : new boolean[] {false, true}) {
            int n = hashed ? 2 : 1;
            Path knownHosts = tmp.resolve("known_hosts-" + hashed);
            SshSettings settings = hosts.settings().withKnownHosts(knownHosts).withHashKnownHosts(hashed);
            String fingerprint = hosts.hostKeyFingerprint(n);

            assertThatThrownBy(() -> RemoteHost.connect(hosts.target(n), settings))
                    .isInstanceOfSatisfying(UnknownHostKeyException.class, e -> {
                        assertThat(e.key().fingerprint()).isEqualTo(fingerprint);
                        assertThat(e.key().displayType()).isEqualTo("ED25519");
                        assertThat(e.getMessage()).contains(hosts.target(n).toString(), fingerprint, "ED25519",
                                knownHosts.toString(), "accept");
                    });
            assertThat(knownHosts).doesNotExist();

            // A fingerprint that is not the host's is refused and nothing is written.
            String other = "SHA256:" + "A".repeat(43);
            assertThatThrownBy(() -> RemoteHost.acceptHostKey(hosts.target(n), settings, other))
                    .isInstanceOf(RemoteException.class)
                    .hasMessageContaining("not the confirmed " + other)
                    .hasMessageContaining("nothing was written");
            assertThat(knownHosts).doesNotExist();

            HostKey accepted = RemoteHost.acceptHostKey(hosts.target(n), settings, fingerprint);
            assertThat(accepted.fingerprint()).isEqualTo(fingerprint);
            String line = Files.readString(knownHosts).strip();
            assertThat(line.lines()).hasSize(1);
            if (hashed) {
                assertThat(line).startsWith("|1|").doesNotContain(hosts.address(n));
            } else {
                assertThat(line).startsWith(hosts.address(n) + " ssh-ed25519 ");
            }
            // OpenSSH's own tool finds the host in the file we wrote.
            String found = run(List.of("ssh-keygen", "-F", hosts.address(n), "-f", knownHosts.toString()));
            assertThat(found).contains("ssh-ed25519 " + hosts.hostPublicKey(n).split("\\s+")[1]);

            try (RemoteHost host = RemoteHost.connect(hosts.target(n), settings)) {
                assertThat(host.run("true", SHORT).ok()).isTrue();
            }
            // Accepting a trusted host again changes nothing.
            RemoteHost.acceptHostKey(hosts.target(n), settings, fingerprint);
            assertThat(Files.readString(knownHosts).strip()).isEqualTo(line);
        }
    }

    @Test
    void changedHostKey_isRefusedWithTheFileAndLine_andCannotBeAccepted() throws IOException {
        Path knownHosts = tmp.resolve("known_hosts-changed");
        Files.writeString(knownHosts, "# hosts of the test\n" + hosts.address(1) + " "
                + hosts.hostPublicKey(1) + "\n" + hosts.address(2) + " " + hosts.hostPublicKey(2) + "\n");
        SshSettings settings = hosts.settings().withKnownHosts(knownHosts);
        String before = Files.readString(knownHosts);
        try (RemoteHost host = RemoteHost.connect(hosts.target(2), settings)) {
            assertThat(host.run("true", SHORT).ok()).isTrue();
        }
        String oldFingerprint = hosts.hostKeyFingerprint(2);
        hosts.regenerateHostKey(2);
        String newFingerprint = hosts.hostKeyFingerprint(2);
        assertThat(newFingerprint).isNotEqualTo(oldFingerprint);

        assertThatThrownBy(() -> RemoteHost.connect(hosts.target(2), settings))
                .isInstanceOfSatisfying(ChangedHostKeyException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.knownHosts()).isEqualTo(knownHosts.toAbsolutePath().normalize());
                    assertThat(e.presented().fingerprint()).isEqualTo(newFingerprint);
                    assertThat(e.known().fingerprint()).isEqualTo(oldFingerprint);
                    assertThat(e.getMessage()).contains("HAS CHANGED", hosts.target(2).toString(),
                            "line 3 of " + knownHosts, newFingerprint, oldFingerprint, "man-in-the-middle",
                            "ssh-keygen -R");
                });
        assertThatThrownBy(() -> RemoteHost.acceptHostKey(hosts.target(2), settings, newFingerprint))
                .isInstanceOf(ChangedHostKeyException.class);
        assertThat(Files.readString(knownHosts)).isEqualTo(before);
        // Host 1, whose key did not change, still connects with the same file.
        try (RemoteHost host = RemoteHost.connect(hosts.target(1), settings)) {
            assertThat(host.run("true", SHORT).ok()).isTrue();
        }
    }

    @Test
    void wrongClientKey_isRefusedCleanly() throws IOException {
        Path wrong = tmp.resolve("wrong_ecdsa");
        run(List.of("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-C", "not-authorised", "-f", wrong.toString()));
        String wrongFingerprint = run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", wrong + ".pub"))
                .split("\\s+")[1];
        SshSettings settings = hosts.settings().withIdentities(List.of(wrong));
        assertThatThrownBy(() -> RemoteHost.connect(hosts.target(1), settings))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining(hosts.target(1) + " refused every key offered: " + wrong + " (ECDSA "
                        + wrongFingerprint + ")")
                .hasMessageContaining("authorized_keys");

        Path missing = tmp.resolve("no_such_key");
        assertThatThrownBy(() -> RemoteHost.connect(hosts.target(1), settings.withIdentities(List.of(missing))))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining("the identity file " + missing + " does not exist");
        assertThatThrownBy(() -> RemoteHost.connect(hosts.target(1), settings.withIdentities(List.of())))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining("no key to offer to " + hosts.target(1));
    }

    @Test
    void keysOfARealSshAgent_areUsed() throws Exception {
        Path socket = tmp.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("agent.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(socket));
            ProcessBuilder add = new ProcessBuilder("ssh-add", hosts.clientKey().toString()).redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", socket.toString());
            Process adding = add.start();
            String out = new String(adding.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(adding.waitFor()).as(out).isZero();

            SshSettings viaAgent = hosts.settings().withIdentities(List.of()).withAgent(socket);
            try (RemoteHost host = RemoteHost.connect(hosts.target(2), viaAgent)) {
                assertThat(host.run("echo agent", SHORT).stdout()).isEqualTo("agent\n");
            }
        } finally {
            agent.destroy();
            assertThat(agent.waitFor(10, TimeUnit.SECONDS)).as("ssh-agent stopped").isTrue();
        }
    }

    @Test
    void unreachableHost_failsWithinTheTimeout_namingIt() {
        SshTarget nobody = new SshTarget("root", hosts.unusedAddress(), 22);
        SshSettings settings = hosts.settings().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
        long start = System.nanoTime();
        assertThatThrownBy(() -> RemoteHost.connect(nobody, settings))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining(hosts.unusedAddress() + ":22")
                .hasMessageMatching("(?s).*(no answer within 2 s|no route to).*");
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(4));

        // A host that is there but where nothing listens on the port: refused at once.
        SshTarget closedPort = new SshTarget("root", hosts.address(1), 2222);
        assertThatThrownBy(() -> RemoteHost.connect(closedPort, settings))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining("connection to " + hosts.address(1) + ":2222 refused");
    }

    private static List<String> listNames(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("`" + String.join(" ", command) + "` failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }
}
