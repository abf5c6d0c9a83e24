package io.predastore.node.remote;

import static io.predastore.node.remote.HostKeyTest.ECDSA;
import static io.predastore.node.remote.HostKeyTest.ED25519;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsTest {
    static final HostKey ED = HostKey.parse("ssh-ed25519", ED25519);
    static final HostKey EC = HostKey.parse("ecdsa-sha2-nistp256", ECDSA);
    /** Another Ed25519 key, made with {@code ssh-keygen -t ed25519}. */
    static final HostKey ED_OTHER = HostKey.parse("ssh-ed25519",
            "AAAAC3NzaC1lZDI1NTE5AAAAIE2TO+eAH0JbrUW2OzfgO32OMfttuHl6qpy0MLvKazDF");

    static final SshTarget NODE1 = SshTarget.parse("admin@node1.example.com");
    static final SshTarget NODE5_2222 = SshTarget.parse("admin@10.0.0.5:2222");

    @TempDir
    Path dir;

    @Test
    void aMissingFile_knowsNothing() throws IOException {
        Path file = dir.resolve("nope/known_hosts");
        KnownHosts known = KnownHosts.load(file);
        assertThat(known.entries()).isEmpty();
        assertThatThrownBy(() -> known.verify(NODE1, ED)).isInstanceOfSatisfying(UnknownHostKeyException.class, e -> {
            assertThat(e.key()).isEqualTo(ED);
            assertThat(e.knownHosts()).isEqualTo(file);
            assertThat(e.getMessage()).contains("the authenticity of admin@node1.example.com:22 cannot be established",
                    "it is not in " + file, "ED25519 key with fingerprint " + ED.fingerprint(),
                    "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub", "ssh admin@node1.example.com");
        });
        assertThatThrownBy(() -> known.verify(NODE5_2222, ED)).hasMessageContaining("ssh -p 2222 admin@10.0.0.5");
    }

    @Test
    void plainLines_matchTheirHostAndPort() throws IOException {
        KnownHosts known = write("node1.example.com,10.0.0.1 ssh-ed25519 " + ED25519 + " a comment",
                "[10.0.0.5]:2222 ecdsa-sha2-nistp256 " + ECDSA);
        assertThatCode(() -> known.verify(NODE1, ED)).doesNotThrowAnyException();
        assertThatCode(() -> known.verify(SshTarget.parse("x@10.0.0.1"), ED)).doesNotThrowAnyException();
        assertThatCode(() -> known.verify(NODE5_2222, EC)).doesNotThrowAnyException();
        // The same address on port 22 is another name: unknown.
        assertThatThrownBy(() -> known.verify(SshTarget.parse("admin@10.0.0.5"), EC))
                .isInstanceOf(UnknownHostKeyException.class);
        assertThatThrownBy(() -> known.verify(SshTarget.parse("admin@node1.example.com:2222"), ED))
                .isInstanceOf(UnknownHostKeyException.class);
        assertThat(known.keyTypesFor(NODE1)).containsExactly("ssh-ed25519");
        assertThat(known.keyTypesFor(NODE5_2222)).containsExactly("ecdsa-sha2-nistp256");
    }

    @Test
    void hashedLinesWrittenByOpenSsh_match() throws IOException {
        // `ssh-keygen -H` of "node1.example.com <ed25519>" and "[10.0.0.5]:2222 <ecdsa>".
        KnownHosts known = write(
                "|1|Zja3zSaVZcc+tQEQIWtUpT/V3CU=|DRv7PkfLUGNni7B07MQ8mwZrqpk= ssh-ed25519 " + ED25519,
                "|1|uvlZ123Ej30yGormvuSzIg+yTSg=|7fipDDS+lYp7OOHq0JZn04SH3YM= ecdsa-sha2-nistp256 " + ECDSA);
        assertThatCode(() -> known.verify(NODE1, ED)).doesNotThrowAnyException();
        assertThatCode(() -> known.verify(NODE5_2222, EC)).doesNotThrowAnyException();
        assertThatThrownBy(() -> known.verify(SshTarget.parse("admin@node2.example.com"), ED))
                .isInstanceOf(UnknownHostKeyException.class);
        assertThatThrownBy(() -> known.verify(SshTarget.parse("admin@10.0.0.5"), EC))
                .isInstanceOf(UnknownHostKeyException.class);
    }

    @Test
    void anotherKeyOfTheSameType_isAChange_namingFileAndLine() throws IOException {
        KnownHosts known = write("# my hosts", "", "other.example.com ssh-ed25519 " + ED25519,
                "node1.example.com ssh-ed25519 " + ED25519);
        assertThatThrownBy(() -> known.verify(NODE1, ED_OTHER))
                .isInstanceOfSatisfying(ChangedHostKeyException.class, e -> {
                    assertThat(e.line()).isEqualTo(4);
                    assertThat(e.knownHosts()).isEqualTo(known.file());
                    assertThat(e.presented()).isEqualTo(ED_OTHER);
                    assertThat(e.known()).isEqualTo(ED);
                    assertThat(e.getMessage()).contains("WARNING: the host key of admin@node1.example.com:22 HAS "
                            + "CHANGED", "fingerprint " + ED_OTHER.fingerprint(), "line 4 of " + known.file(),
                            "(" + ED.fingerprint() + ")", "man-in-the-middle", "remove the offending line 4",
                            "ssh-keygen -R 'node1.example.com' -f " + known.file());
                });
    }

    @Test
    void aKeyTrustedOnAnyLine_wins_overAChangedOne() throws IOException {
        KnownHosts known = write("node1.example.com ssh-ed25519 " + ED_OTHER.base64(),
                "node1.example.com ssh-ed25519 " + ED25519);
        assertThatCode(() -> known.verify(NODE1, ED)).doesNotThrowAnyException();
    }

    @Test
    void aHostKnownOnlyByAnotherType_isUnknown_sayingSo() throws IOException {
        KnownHosts known = write("node1.example.com ecdsa-sha2-nistp256 " + ECDSA);
        assertThatThrownBy(() -> known.verify(NODE1, ED)).isInstanceOf(UnknownHostKeyException.class)
                .hasMessageContaining("holds only ECDSA keys for it");
    }

    @Test
    void revokedKeys_areNeverAccepted() throws IOException {
        KnownHosts known = write("node1.example.com ssh-ed25519 " + ED25519,
                "@revoked node1.example.com ssh-ed25519 " + ED25519);
        assertThatThrownBy(() -> known.verify(NODE1, ED)).isInstanceOf(RemoteException.class)
                .isNotInstanceOf(UnknownHostKeyException.class)
                .hasMessageContaining("marked @revoked on line 2");
    }

    @Test
    void patterns_wildcardsNegationsAndSkippedLines() throws IOException {
        KnownHosts known = write("*.example.com,!bad.example.com ssh-ed25519 " + ED25519,
                "@cert-authority *.example.com ecdsa-sha2-nistp256 " + ECDSA,
                "this line is broken",
                "node?.test ssh-ed25519 not-base64",
                "@unknown-marker node1.test ssh-ed25519 " + ED25519,
                "node?.test ssh-ed25519 " + ED25519);
        assertThat(known.entries()).extracting(KnownHosts.Entry::line).containsExactly(1, 2, 6);
        assertThatCode(() -> known.verify(NODE1, ED)).doesNotThrowAnyException();
        assertThatThrownBy(() -> known.verify(SshTarget.parse("a@bad.example.com"), ED))
                .isInstanceOf(UnknownHostKeyException.class);
        // A certificate authority line trusts no plain key.
        assertThatThrownBy(() -> known.verify(NODE1, EC)).isInstanceOf(UnknownHostKeyException.class);
        assertThatCode(() -> known.verify(SshTarget.parse("a@node7.test"), ED)).doesNotThrowAnyException();
        assertThatThrownBy(() -> known.verify(SshTarget.parse("a@node17.test"), ED))
                .isInstanceOf(UnknownHostKeyException.class);
    }

    @Test
    void linesAsPeopleWriteThem_blanksCaseWildcardPortsAndIpv6() throws IOException {
        KnownHosts known = write("  Node1.EXAMPLE.com\tssh-ed25519   " + ED25519 + "   a  comment  ",
                "[10.0.0.*]:2222 ecdsa-sha2-nistp256 " + ECDSA,
                "fd00::5,[fd00::5]:2200 ssh-ed25519 " + ED25519);
        assertThat(known.entries()).extracting(KnownHosts.Entry::line).containsExactly(1, 2, 3);
        assertThatCode(() -> known.verify(NODE1, ED)).doesNotThrowAnyException();
        assertThatCode(() -> known.verify(NODE5_2222, EC)).doesNotThrowAnyException();
        assertThatThrownBy(() -> known.verify(SshTarget.parse("a@10.0.1.5:2222"), EC))
                .isInstanceOf(UnknownHostKeyException.class);
        assertThatCode(() -> known.verify(SshTarget.parse("a@[fd00::5]"), ED)).doesNotThrowAnyException();
        assertThatCode(() -> known.verify(SshTarget.parse("a@[fd00::5]:2200"), ED)).doesNotThrowAnyException();
        assertThatThrownBy(() -> known.verify(SshTarget.parse("a@[fd00::5]:2201"), ED))
                .isInstanceOf(UnknownHostKeyException.class);
    }

    @Test
    void appendPlain_createsOwnerOnlyFileAndDirectory_andIsReadBack() throws IOException {
        Path file = dir.resolve("home/.ssh/known_hosts");
        KnownHosts.append(file, NODE5_2222, ED, false);
        assertThat(Files.readString(file)).isEqualTo("[10.0.0.5]:2222 ssh-ed25519 " + ED25519 + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThatCode(() -> KnownHosts.load(file).verify(NODE5_2222, ED)).doesNotThrowAnyException();
    }

    @Test
    void appendHashed_writesOpenSshsFormat_afterAnUnterminatedLine() throws IOException {
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, "other.example.com ssh-ed25519 " + ED_OTHER.base64());
        KnownHosts.append(file, NODE1, ED, true);
        KnownHosts.append(file, NODE5_2222, EC, true);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).matches("\\|1\\|[A-Za-z0-9+/]{27}=\\|[A-Za-z0-9+/]{27}= ssh-ed25519 "
                + java.util.regex.Pattern.quote(ED25519)).doesNotContain("node1");
        assertThat(lines.get(1).split(" ")[0]).isNotEqualTo(KnownHosts.line(NODE1, ED, true).split(" ")[0])
                .as("a fresh salt each time");
        KnownHosts known = KnownHosts.load(file);
        assertThatCode(() -> known.verify(NODE1, ED)).doesNotThrowAnyException();
        assertThatCode(() -> known.verify(NODE5_2222, EC)).doesNotThrowAnyException();
        assertThatCode(() -> known.verify(SshTarget.parse("a@other.example.com"), ED_OTHER))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> known.verify(SshTarget.parse("a@node1.example.com:2222"), ED))
                .isInstanceOf(UnknownHostKeyException.class);
    }

    @Test
    void firstContact_recordsOnlyTheConfirmedKey_andNeverReplacesAChangedOne() throws IOException {
        Path file = dir.resolve("known_hosts");
        KnownHosts empty = KnownHosts.load(file);
        assertThatThrownBy(() -> HostKeyVerifier.accepting(NODE1, empty, EC.fingerprint(), true).check(ED))
                .isInstanceOf(RemoteException.class)
                .hasMessageContaining("now presents an ED25519 key with fingerprint " + ED.fingerprint()
                        + ", not the confirmed " + EC.fingerprint())
                .hasMessageContaining("nothing was written to " + file);
        assertThat(file).doesNotExist();

        HostKeyVerifier.accepting(NODE1, empty, ED.fingerprint(), true).check(ED);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("|1|").endsWith(" ssh-ed25519 " + ED25519);
        assertThatCode(() -> KnownHosts.load(file).verify(NODE1, ED)).doesNotThrowAnyException();

        // Known now: accepting it again writes nothing; another key of its type is a change, confirmed or not.
        HostKeyVerifier.accepting(NODE1, KnownHosts.load(file), ED.fingerprint(), true).check(ED);
        assertThatThrownBy(() -> HostKeyVerifier.accepting(NODE1, KnownHosts.load(file), ED_OTHER.fingerprint(),
                true).check(ED_OTHER)).isInstanceOf(ChangedHostKeyException.class);
        assertThat(Files.readAllLines(file)).isEqualTo(lines);
    }

    private KnownHosts write(String... lines) throws IOException {
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return KnownHosts.load(file);
    }
}
