package io.predastore.node.remote;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The keys a login offers: the private keys of the settings' key files (read by MINA SSHD) and the ssh-agent, when
 * one answers; with how to name them in messages and what to tell the user about keys that could not be used.
 *
 * @param pairs   the key files' key pairs, in order
 * @param agent   the agent's socket, or null when there is none or it did not answer
 * @param offered how each key offered is named in a message: {@code FILE (ED25519 SHA256:...)}, or the agent's
 *                comment and fingerprint
 * @param notes   what to tell about keys not offered (behind a passphrase, an agent that did not answer, ...)
 */
record ClientKeys(List<KeyPair> pairs, Path agent, List<String> offered, List<String> notes) {
    /**
     * Reads the key files and asks the agent for its keys.
     *
     * @throws RemoteException when a key file is missing or unreadable, or there is no key at all to offer, saying
     *                         what to do
     */
    static ClientKeys load(SshTarget target, SshSettings settings) throws RemoteException {
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
        if (agent != null && !agentKeys(agent, offered, notes)) {
            agent = null;
        }
        ClientKeys keys = new ClientKeys(List.copyOf(pairs), agent, List.copyOf(offered), List.copyOf(notes));
        if (offered.isEmpty()) {
            String tried = settings.identities().isEmpty() ? "no key file was given or found in ~/.ssh ("
                    + String.join(", ", SshSettings.DEFAULT_IDENTITY_NAMES) + ")"
                    : "none of " + settings.identities() + " could be used";
            String agentText = settings.agentSocket().isEmpty() ? "no ssh-agent runs (SSH_AUTH_SOCK is not set)"
                    : "the ssh-agent offers none";
            throw new RemoteException(target, "no key to offer to " + target + ": " + tried + " and " + agentText
                    + ". Create one with `ssh-keygen -t ed25519` and add its public key to ~" + target.user()
                    + "/.ssh/authorized_keys on " + target.host() + ", or give one with --ssh-identity"
                    + keys.notesSuffix());
        }
        return keys;
    }

    /** The notes in parentheses, to end a message with; empty when there are none. */
    String notesSuffix() {
        return notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")";
    }

    /**
     * Names the keys of the agent at {@code socket} in {@code offered}, or tells in {@code notes} why there are none.
     *
     * @return whether the agent answered
     */
    private static boolean agentKeys(Path socket, List<String> offered, List<String> notes) {
        try (AgentClient client = new AgentClient(socket)) {
            int count = 0;
            for (Map.Entry<PublicKey, String> id : client.getIdentities()) {
                offered.add("the ssh-agent's key '" + id.getValue() + "' (" + HostKey.of(id.getKey()).describe()
                        + ")");
                count++;
            }
            if (count == 0) {
                notes.add("the ssh-agent at " + socket + " holds no keys it can offer (add one with ssh-add)");
            }
            return true;
        } catch (IOException | RuntimeException e) {
            notes.add("the ssh-agent at " + socket + " (SSH_AUTH_SOCK) did not answer: " + e.getMessage());
            return false;
        }
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
