package io.predastore.app.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Turns dropped files and folders into (file, key) pairs under a prefix; folders keep their relative paths. */
public final class UploadPlan {
    /** One file to upload and the key it gets. */
    public record Item(Path file, String key, long size) {
    }

    private UploadPlan() {
    }

    /**
     * A file {@code a.txt} dropped in folder {@code docs/} becomes {@code docs/a.txt}; a folder {@code photos}
     * holding {@code 2024/x.jpg} becomes {@code docs/photos/2024/x.jpg}. Empty folders add nothing; symbolic
     * links are not followed. Blocks on the file system.
     *
     * @throws UncheckedIOException if a folder cannot be read
     */
    public static List<Item> plan(String prefix, List<Path> dropped) {
        List<Item> out = new ArrayList<>();
        for (Path p : dropped) {
            Path name = p.getFileName();
            if (name == null) {
                continue;
            }
            try {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> walk = Files.walk(p)) {
                        for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                            out.add(new Item(f, prefix + name + "/" + relativeKey(p, f), Files.size(f)));
                        }
                    }
                } else if (Files.isRegularFile(p)) {
                    out.add(new Item(p, prefix + name, Files.size(p)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + p + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }

    /** {@code f} relative to {@code root} with {@code /} between the parts, whatever the platform. */
    static String relativeKey(Path root, Path f) {
        Path rel = root.relativize(f);
        StringBuilder sb = new StringBuilder();
        for (Path part : rel) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }

    /** The local path for a key under {@code base}: the key relative to {@code prefix}, split at {@code /}. */
    public static Path localPath(Path base, String prefix, String key) {
        String rel = key.startsWith(prefix) ? key.substring(prefix.length()) : key;
        Path out = base;
        for (String part : rel.split("/")) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                continue;
            }
            out = out.resolve(part);
        }
        if (!out.normalize().startsWith(base.normalize()) || out.equals(base)) {
            throw new IllegalArgumentException("The key " + key + " has no usable file name");
        }
        return out;
    }
}
