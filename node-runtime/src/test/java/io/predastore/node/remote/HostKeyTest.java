package io.predastore.node.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.junit.jupiter.api.Test;

class HostKeyTest {
    /** Made with {@code ssh-keygen -t ed25519}; the fingerprints are what {@code ssh-keygen -l} printed. */
    static final String ED25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIJ38oWUkaPBoHO5fUqqDpJJoxpAMElam7vGdLN19xo1z";
    static final String ED25519_FINGERPRINT = "SHA256:p4uoQp2VL1tbmewrR3dHp6HmGKzfkf/XCrE2leyOtWA";
    static final String ECDSA = "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBChG+HBCuGq5K5GzfIRWqNvfwj32KmGc"
            + "FK3xWzZX0Te2k2lsVSOnPb0A6JIQ2nz3baVpqCYna6W7Vloen8GGZrw=";
    static final String ECDSA_FINGERPRINT = "SHA256:4gvkN41KnxMm2czNWuhFPxhDrsYQji4lir8msqE4T+8";

    @Test
    void fingerprint_isWhatOpenSshPrints() {
        assertThat(HostKey.parse("ssh-ed25519", ED25519).fingerprint()).isEqualTo(ED25519_FINGERPRINT);
        assertThat(HostKey.parse("ecdsa-sha2-nistp256", ECDSA).fingerprint()).isEqualTo(ECDSA_FINGERPRINT);
        assertThat(HostKey.parse("ssh-ed25519", ED25519).describe()).isEqualTo("ED25519 " + ED25519_FINGERPRINT);
        assertThat(HostKey.parse("ecdsa-sha2-nistp256", ECDSA).displayType()).isEqualTo("ECDSA");
    }

    @Test
    void aKeyDecodedBySshd_encodesBackToTheSameBytes() throws Exception {
        for (String[] k : new String[][] {{"ssh-ed25519", ED25519}, {"ecdsa-sha2-nistp256", ECDSA}}) {
            HostKey parsed = HostKey.parse(k[0], k[1]);
            HostKey viaJava = HostKey.of(new ByteArrayBuffer(parsed.blob()).getRawPublicKey());
            assertThat(viaJava).isEqualTo(parsed);
            assertThat(viaJava.base64()).isEqualTo(k[1]);
            assertThat(viaJava.type()).isEqualTo(k[0]);
        }
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        HostKey generated = HostKey.of(ec.generateKeyPair().getPublic());
        assertThat(generated.type()).isEqualTo("ecdsa-sha2-nistp256");
        assertThat(HostKey.fromBlob(generated.blob())).isEqualTo(generated);
    }

    @Test
    void hasFingerprint_takesTheFormsPeopleCopy() {
        HostKey key = HostKey.parse("ssh-ed25519", ED25519);
        assertThat(key.hasFingerprint(ED25519_FINGERPRINT)).isTrue();
        assertThat(key.hasFingerprint("  " + ED25519_FINGERPRINT + "\n")).isTrue();
        assertThat(key.hasFingerprint("sha256:" + ED25519_FINGERPRINT.substring(7))).isTrue();
        assertThat(key.hasFingerprint(ED25519_FINGERPRINT.substring(7))).isTrue();
        assertThat(key.hasFingerprint(ED25519_FINGERPRINT + "=")).isTrue();
        assertThat(key.hasFingerprint(ED25519_FINGERPRINT.toLowerCase(java.util.Locale.ROOT))).isFalse();
        assertThat(key.hasFingerprint(ECDSA_FINGERPRINT)).isFalse();
        assertThat(key.hasFingerprint("SHA256:")).isFalse();
        assertThat(key.hasFingerprint(null)).isFalse();
    }

    @Test
    void refusesKeysWhoseTypeAndBytesDisagree_orThatAreNotKeys() {
        assertThatThrownBy(() -> HostKey.parse("ssh-rsa", ED25519)).hasMessageContaining(
                "says it is ssh-rsa but its bytes hold a ssh-ed25519 key");
        assertThatThrownBy(() -> HostKey.parse("ssh-ed25519", "not base64!")).hasMessageContaining("not valid base64");
        assertThatThrownBy(() -> HostKey.parse("ssh-ed25519", "AAAA")).hasMessageContaining(
                "the bytes are not an SSH public key");
        assertThatThrownBy(() -> HostKey.fromBlob(new byte[] {0, 0, 1, 0, 'x', 'y'}))
                .hasMessageContaining("the bytes are not an SSH public key");
        assertThatThrownBy(() -> HostKey.fromBlob(new byte[] {0, 0, 0, 2, 'x', 'y'}))
                .hasMessageContaining("the bytes are not an SSH public key");
    }

    @Test
    void equality_isByBytes() {
        assertThat(HostKey.parse("ssh-ed25519", ED25519)).isEqualTo(HostKey.parse("ssh-ed25519", ED25519))
                .hasSameHashCodeAs(HostKey.parse("ssh-ed25519", ED25519))
                .isNotEqualTo(HostKey.parse("ecdsa-sha2-nistp256", ECDSA));
    }
}
