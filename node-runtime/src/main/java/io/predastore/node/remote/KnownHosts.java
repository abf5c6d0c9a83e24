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
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An OpenSSH {@code known_hosts} file, read once: which host keys are trusted for which hosts. {@link #verify} is the
 * host key check of every connection; {@link #append} records a key the user accepted, in OpenSSH's own format
 * (plain or hashed host names), so {@code ssh} and this code share one file.
 *
 * <p>What is read: lines {@code [@revoked|@cert-authority] HOSTS TYPE BASE64 [COMMENT]}, where {@code HOSTS} is a
 * comma-separated list of patterns ({@code *} and {@code ?} wildcards, {@code !} to exclude, {@code [host]:port} for
 * a port other than 22) or one hashed name {@code |1|SALT|HASH}. Blank lines, comments and lines that cannot be read
 * are skipped, as OpenSSH skips them. {@code @cert-authority} lines are skipped too: host certificates are not
 * accepted. Only this file is read, not {@code /etc/ssh/ssh_known_hosts}. Immutable after loading; {@link #append}
 * writes the file, not this object.
 */
public final class KnownHosts {
    /** The key of a line that limits or marks it. */
    public enum Marker {
        NONE, REVOKED, CERT_AUTHORITY
    }

    /**
     * One usable line.
     *
     * @param line   its line number, from 1
     * @param marker {@code @revoked}, {@code @cert-authority} or none
     * @param hosts  the host patterns field as written
     * @param key    the key
     */
    public record Entry(int line, Marker marker, String hosts, HostKey key) {
    }

    private static final Object APPEND_LOCK = new Object();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String HASH_MAGIC = "|1|";

    private final Path file;
    private final List<Entry> entries;

    private KnownHosts(Path file, List<Entry> entries) {
        this.file = file;
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads {@code file}; a file that does not exist is an empty one (nothing is known yet).
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
        String name = target.knownHostsName();
        Entry changed = null;
        Set<String> otherTypes = new LinkedHashSet<>();
        boolean trusted = false;
        for (Entry e : entries) {
            if (!matches(e.hosts(), name)) {
                continue;
            }
            if (e.marker() == Marker.REVOKED) {
                if (e.key().equals(presented)) {
                    throw new RemoteException(target, "the host key of " + target + " (" + presented.describe()
                            + ") is marked @revoked on line " + e.line() + " of " + file + " and is never accepted; "
                            + "ask the host's administrator for its new key");
                }
                continue;
            }
            if (e.marker() != Marker.NONE) {
                continue;
            }
            if (e.key().equals(presented)) {
                trusted = true;
            } else if (e.key().type().equals(presented.type())) {
                if (changed == null) {
                    changed = e;
                }
            } else {
                otherTypes.add(e.key().displayType());
            }
        }
        if (trusted) {
            return;
        }
        if (changed != null) {
            throw new ChangedHostKeyException(target, presented, changed.key(), file, changed.line());
        }
        throw new UnknownHostKeyException(target, presented, file, List.copyOf(otherTypes));
    }

    /** The key types known for {@code target}'s host (lines that trust a key), in file order. */
    public Set<String> keyTypesFor(SshTarget target) {
        Set<String> types = new LinkedHashSet<>();
        for (Entry e : entries) {
            if (e.marker() == Marker.NONE && matches(e.hosts(), target.knownHostsName())) {
                types.add(e.key().type());
            }
        }
        return types;
    }

    /**
     * The line that trusts {@code key} for {@code target}: {@code NAME TYPE BASE64}, where {@code NAME} is
     * {@link SshTarget#knownHostsName()} or, when {@code hashed}, {@code |1|SALT|HMAC-SHA1(SALT, NAME)} as OpenSSH's
     * {@code HashKnownHosts} writes it (a fresh random salt each time).
     */
    public static String line(SshTarget target, HostKey key, boolean hashed) {
        String name = target.knownHostsName();
        String hosts;
        if (hashed) {
            byte[] salt = new byte[20];
            RANDOM.nextBytes(salt);
            Base64.Encoder b64 = Base64.getEncoder();
            hosts = HASH_MAGIC + b64.encodeToString(salt) + "|" + b64.encodeToString(hmacSha1(salt, name));
        } else {
            hosts = name;
        }
        return hosts + " " + key.type() + " " + key.base64();
    }

    /**
     * Appends {@link #line} to {@code file}, creating it (owner-only, {@code rw-------}) and its directory
     * ({@code rwx------}) when missing, and ending an unterminated last line first. Appends from this JVM never
     * interleave.
     */
    public static void append(Path file, SshTarget target, HostKey key, boolean hashed) throws IOException {
        String line = line(target, key, hashed) + "\n";
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
                    out.write((prefix + line).getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new IOException("cannot add the key of " + target + " to " + path + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Whether a line's hosts field names {@code name} ({@link SshTarget#knownHostsName()}): a hashed name whose
     * hash matches, or a pattern list where some pattern matches and no {@code !}-pattern does.
     */
    static boolean matches(String hosts, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (hosts.startsWith(HASH_MAGIC)) {
            return hashedMatches(hosts, n);
        }
        boolean matched = false;
        for (String pattern : hosts.split(",")) {
            boolean negated = pattern.startsWith("!");
            String p = (negated ? pattern.substring(1) : pattern).toLowerCase(Locale.ROOT);
            if (!p.isEmpty() && glob(p, n)) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    private static boolean hashedMatches(String hosts, String name) {
        String[] parts = hosts.substring(HASH_MAGIC.length()).split("\\|", -1);
        if (parts.length != 2) {
            return false;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[0]);
            byte[] hash = Base64.getDecoder().decode(parts[1]);
            return MessageDigest.isEqual(hash, hmacSha1(salt, name));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] hmacSha1(byte[] salt, String name) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java has no HMAC-SHA1", e);
        }
    }

    /** Shell-style matching: {@code *} any run of characters, {@code ?} any one character. */
    static boolean glob(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** One line, or null when it is blank, a comment or unreadable. */
    static Entry parseLine(int number, String text) {
        String t = text.strip();
        if (t.isEmpty() || t.startsWith("#")) {
            return null;
        }
        String[] fields = t.split("\\s+");
        int i = 0;
        Marker marker = Marker.NONE;
        if (fields[0].startsWith("@")) {
            if (fields[0].equals("@revoked")) {
                marker = Marker.REVOKED;
            } else if (fields[0].equals("@cert-authority")) {
                marker = Marker.CERT_AUTHORITY;
            } else {
                return null;
            }
            i = 1;
        }
        if (fields.length < i + 3) {
            return null;
        }
        try {
            return new Entry(number, marker, fields[i], HostKey.parse(fields[i + 1], fields[i + 2]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
