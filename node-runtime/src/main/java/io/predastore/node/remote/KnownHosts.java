package io.predastore.node.remote;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.sshd.client.config.hosts.KnownHostDigest;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.config.hosts.KnownHostHashValue;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.mac.Mac;

/**
 * An OpenSSH {@code known_hosts} file, read once: which host keys are trusted for which hosts. {@link #verify} is the
 * host key check ({@link HostKeyVerifier}, on MINA SSHD's {@code KnownHostsServerKeyVerifier}); {@link #append}
 * records a key the user accepted, in OpenSSH's own format (plain or hashed host names), so {@code ssh} and this code
 * share one file.
 *
 * <p>Each line is read by MINA SSHD's {@link KnownHostEntry} (markers, comma-separated host patterns with {@code *},
 * {@code ?} and {@code !}, {@code [host]:port}, hashed names {@code |1|SALT|HASH}) and matched by it. Blank lines,
 * comments and lines that cannot be read are skipped, as OpenSSH skips them; {@code @cert-authority} lines are kept
 * but trust no plain key (host certificates are not accepted). Only this file is read, not
 * {@code /etc/ssh/ssh_known_hosts}. Immutable after loading; {@link #append} writes the file, not this object.
 */
public final class KnownHosts {
    /** The key of a line that limits or marks it. */
    public enum Marker {
        NONE, REVOKED, CERT_AUTHORITY
    }

    /** One usable line: its number, marker and key, and the line as MINA SSHD read it. Immutable. */
    public static final class Entry {
        private final int line;
        private final Marker marker;
        private final HostKey key;
        private final KnownHostEntry parsed;

        Entry(int line, Marker marker, HostKey key, KnownHostEntry parsed) {
            this.line = line;
            this.marker = marker;
            this.key = key;
            this.parsed = parsed;
        }

        /** Its line number, from 1. */
        public int line() {
            return line;
        }

        /** {@code @revoked}, {@code @cert-authority} or none. */
        public Marker marker() {
            return marker;
        }

        /** The key. */
        public HostKey key() {
            return key;
        }

        /** Whether this line names {@code target}'s host on its port (a pattern or its hashed name matches). */
        public boolean names(SshTarget target) {
            return parsed.isHostMatch(target.host(), target.port());
        }

        /** MINA SSHD's reading of the line (mutable, so it stays in this package). */
        KnownHostEntry parsed() {
            return parsed;
        }
    }

    private static final Object APPEND_LOCK = new Object();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final List<Entry> entries;

    private KnownHosts(Path file, List<Entry> entries) {
        this.file = file;
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads {@code file}; a file that does not exist is an empty one (nothing is known yet).
     *
     * <p>The lines are numbered and parsed one by one here rather than by
     * {@link KnownHostEntry#readKnownHostEntries(Path, java.nio.file.OpenOption...)}: that stops at the first line it
     * cannot read (OpenSSH skips such a line and goes on) and keeps no line numbers, which the message about a
     * changed key names.
     *
     * @throws IOException when it exists but cannot be read
     */
    public static KnownHosts load(Path file) throws IOException {
        Path path = file.toAbsolutePath().normalize();
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new KnownHosts(path, List.of());
        } catch (IOException e) {
            throw new IOException("cannot read the known hosts file " + path + ": " + e.getMessage(), e);
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Entry entry = parseLine(i + 1, lines.get(i));
            if (entry != null) {
                entries.add(entry);
            }
        }
        return new KnownHosts(path, entries);
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** The usable lines, in file order. */
    public List<Entry> entries() {
        return entries;
    }

    /**
     * Checks the key {@code target} presented: returns when a line trusts it for that host, else throws.
     *
     * @throws ChangedHostKeyException when a line holds another key of the same type for that host
     * @throws UnknownHostKeyException when no line holds a key of this type for that host
     * @throws RemoteException         when a line marks the key as revoked
     */
    public void verify(SshTarget target, HostKey presented) throws RemoteException {
        HostKeyVerifier verifier = HostKeyVerifier.checking(target, this);
        verifier.check(presented);
    }

    /** The lines that name {@code target}'s host, in file order. */
    List<Entry> entriesFor(SshTarget target) {
        List<Entry> found = new ArrayList<>();
        for (Entry e : entries) {
            if (e.names(target)) {
                found.add(e);
            }
        }
        return found;
    }

    /** The key types known for {@code target}'s host (lines that trust a key), in file order. */
    public Set<String> keyTypesFor(SshTarget target) {
        Set<String> types = new LinkedHashSet<>();
        for (Entry e : entriesFor(target)) {
            if (e.marker() == Marker.NONE) {
                types.add(e.key().type());
            }
        }
        return types;
    }

    /**
     * The line that trusts {@code key} for {@code target}: {@code NAME TYPE BASE64}, where {@code NAME} is
     * {@link SshTarget#knownHostsName()} or, when {@code hashed}, {@code |1|SALT|HMAC-SHA1(SALT, NAME)} as OpenSSH's
     * {@code HashKnownHosts} writes it (a fresh random salt each time). Composed by MINA SSHD's
     * {@link KnownHostHashValue} and {@link PublicKeyEntry}.
     */
    public static String line(SshTarget target, HostKey key, boolean hashed) {
        try {
            StringBuilder line = new StringBuilder();
            if (hashed) {
                Mac mac = KnownHostDigest.SHA1.create();
                byte[] salt = new byte[mac.getDefaultBlockSize()];
                RANDOM.nextBytes(salt);
                byte[] hash = KnownHostHashValue.calculateHashValue(target.host(), target.port(), mac, salt);
                KnownHostHashValue.append(line, KnownHostDigest.SHA1, salt, hash);
            } else {
                KnownHostHashValue.appendHostPattern(line, target.host(), target.port());
            }
            return PublicKeyEntry.appendPublicKeyEntry(line.append(' '), key.publicKey()).toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write a known_hosts line for the " + key.describe() + " key of "
                    + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Appends {@link #line} to {@code file}, creating it (owner-only, {@code rw-------}) and its directory
     * ({@code rwx------}) when missing, and ending an unterminated last line first. Appends from this JVM never
     * interleave.
     *
     * <p>Written here, not by MINA SSHD's {@code KnownHostsServerKeyVerifier}: its own append creates the file with
     * the process's umask (not owner-only), creates no directory, and puts an empty line before every line it adds.
     *
     * @return the line written
     */
    public static String append(Path file, SshTarget target, HostKey key, boolean hashed) throws IOException {
        String line = line(target, key, hashed);
        Path path = file.toAbsolutePath().normalize();
        synchronized (APPEND_LOCK) {
            try {
                Path dir = path.getParent();
                boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
                if (dir != null && !Files.isDirectory(dir)) {
                    if (posix) {
                        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwx------")));
                    } else {
                        Files.createDirectories(dir);
                    }
                }
                if (!Files.exists(path)) {
                    if (posix) {
                        Files.createFile(path, PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-------")));
                    } else {
                        Files.createFile(path);
                    }
                }
                byte[] existing = Files.readAllBytes(path);
                String prefix = existing.length > 0 && existing[existing.length - 1] != '\n' ? "\n" : "";
                try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.APPEND)) {
                    out.write((prefix + line + "\n").getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new IOException("cannot add the key of " + target + " to " + path + ": " + e.getMessage(), e);
            }
        }
        return line;
    }

    /**
     * One line, or null when it is blank, a comment, unreadable, has a marker OpenSSH does not know, or holds a key
     * MINA SSHD cannot decode (it could never equal a key a host presents here).
     */
    static Entry parseLine(int number, String text) {
        // OpenSSH separates fields by any run of blanks; MINA's key field parser takes single spaces only.
        String t = String.join(" ", text.strip().split("\\s+"));
        if (t.isEmpty() || t.startsWith("#")) {
            return null;
        }
        try {
            KnownHostEntry parsed = KnownHostEntry.parseKnownHostEntry(t);
            Marker marker;
            if (parsed.getMarker() == null) {
                marker = Marker.NONE;
            } else if (parsed.getMarker().equals("revoked")) {
                marker = Marker.REVOKED;
            } else if (parsed.getMarker().equals("cert-authority")) {
                marker = Marker.CERT_AUTHORITY;
            } else {
                return null;
            }
            PublicKey key = parsed.getKeyEntry().resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
            return new Entry(number, marker, HostKey.of(key), parsed);
        } catch (Exception e) {
            return null;
        }
    }
}
