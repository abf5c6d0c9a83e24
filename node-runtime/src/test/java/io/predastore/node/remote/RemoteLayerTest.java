package io.predastore.node.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.signature.Signature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small parts of the SSH layer: settings, quoting, output bounds, host key preference, remote paths. */
class RemoteLayerTest {
    @TempDir
    Path home;

    @Test
    void defaults_useTheKeysThatExist_theAgent_andKnownHosts() throws IOException {
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(ssh.resolve("id_rsa"), "x");
        Files.writeString(ssh.resolve("id_ed25519"), "x");
        Files.writeString(ssh.resolve("id_dsa"), "x");
        SshSettings s = SshSettings.defaults(home, "/run/user/1000/agent.sock");
        assertThat(s.identities()).containsExactly(ssh.resolve("id_ed25519"), ssh.resolve("id_rsa"));
        assertThat(s.agentSocket()).contains(Path.of("/run/user/1000/agent.sock"));
        assertThat(s.knownHosts()).isEqualTo(ssh.resolve("known_hosts"));
        assertThat(s.hashKnownHosts()).isTrue();
        assertThat(s.connectTimeout()).isEqualTo(SshSettings.DEFAULT_CONNECT_TIMEOUT);
        assertThat(SshSettings.defaults(home, " ").agentSocket()).isEmpty();
        assertThat(SshSettings.defaults(home, null).agentSocket()).isEmpty();
        assertThat(SshSettings.defaults(home.resolve("nobody"), null).identities()).isEmpty();
        assertThatThrownBy(() -> s.withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("connect timeout must be positive");
        assertThat(s.withAgent(null).agentSocket()).isEqualTo(Optional.empty());
    }

    @Test
    void quotedWords_reachAProgramAsTheyAre() throws Exception {
        List<String> words = List.of("plain", "a b", "it's", "$HOME", "`id`", "\"q\"", "", "back\\slash", "*", "~",
                "semi;colon", "new\nline");
        Process p = new ProcessBuilder("sh", "-c", "printf '[%s]' " + Shell.join(words)).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(out).isEqualTo("[plain][a b][it's][$HOME][`id`][\"q\"][][back\\slash][*][~][semi;colon][new\nline]");
        assertThat(Shell.quote("/opt/predastore/bin/node-1.jar")).isEqualTo("/opt/predastore/bin/node-1.jar");
        assertThat(Shell.quote("it's")).isEqualTo("'it'\\''s'");
        assertThatThrownBy(() -> Shell.join(List.of())).hasMessageContaining("at least a program name");
    }

    @Test
    void boundedOutput_keepsTheFirstBytes_andCountsTheRest() {
        BoundedOutput out = new BoundedOutput(5);
        out.write("abc".getBytes(StandardCharsets.UTF_8), 0, 3);
        out.write("defgh".getBytes(StandardCharsets.UTF_8), 0, 5);
        out.write('i');
        assertThat(out.text()).isEqualTo("abcde");
        assertThat(out.dropped()).isEqualTo(4);
    }

    @Test
    void hostKeyPreference_knownTypesFirst_thenEd25519_andNoCertificates() {
        SshClient client = SshClient.setUpDefaultClient();
        List<NamedFactory<Signature>> all = client.getSignatureFactories();
        List<String> names = Connector.hostKeyPreference(all, Set.of("ssh-rsa")).stream()
                .map(NamedFactory::getName).toList();
        assertThat(names).noneMatch(n -> n.contains("-cert-"));
        assertThat(names.subList(0, 3)).containsExactlyInAnyOrder("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa");
        assertThat(names.get(3)).isEqualTo("ssh-ed25519");
        assertThat(names).contains("ecdsa-sha2-nistp256");
        assertThat(Connector.hostKeyPreference(all, Set.of()).get(0).getName()).isEqualTo("ssh-ed25519");
        assertThat(Connector.hostKeyPreference(all, Set.of("ecdsa-sha2-nistp256")).get(0).getName())
                .isEqualTo("ecdsa-sha2-nistp256");
    }

    @Test
    void parentOfRemotePaths() {
        assertThat(RemotePaths.parentOf("runtime.bin")).isNull();
        assertThat(RemotePaths.parentOf("deploy/bin/runtime.bin")).isEqualTo("deploy/bin");
        assertThat(RemotePaths.parentOf("/runtime.bin")).isEqualTo("/");
        assertThat(RemotePaths.parentOf("/opt/p/x")).isEqualTo("/opt/p");
    }

    @Test
    void commandResult_describesHowItEnded() {
        assertThat(new CommandResult(0, null, "", "", 0, 0).ok()).isTrue();
        assertThat(new CommandResult(2, null, "", "first\nlast line\n", 0, 0).describe())
                .isEqualTo("exit status 2: last line");
        assertThat(new CommandResult(-1, "KILL", "", "", 0, 0).describe()).isEqualTo("signal KILL");
        assertThat(new CommandResult(0, "TERM", "", "", 0, 0).ok()).isFalse();
    }
}
