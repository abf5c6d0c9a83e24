package io.predastore.app.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The cluster files the user opened or created, and the clusters they connected to by endpoint (without secrets),
 * each most recent first, kept in {@code settings.json} in the app's
 * config folder: the {@code predastore.configDir} system property, else {@code $XDG_CONFIG_HOME/predastore}, else
 * {@code ~/.config/predastore}. A missing or unreadable file means no remembered clusters. Holds no UI types.
 */
public final class RecentClusters {
    /** How many clusters are remembered. */
    public static final int MAX = 10;

    private static final String KEY = "recentClusters";
    private static final String ENDPOINTS = "recentEndpoints";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    /** A store in {@code dir/settings.json}. */
    public RecentClusters(Path dir) {
        this.file = Objects.requireNonNull(dir).resolve("settings.json");
    }

    /** The store in the app's config folder. */
    public static RecentClusters atDefaultLocation() {
        return new RecentClusters(configDir(System.getProperty("predastore.configDir"), System.getenv(),
                System.getProperty("user.home")));
    }

    /** The config folder from the {@code predastore.configDir} property, the environment and the home folder. */
    static Path configDir(String property, Map<String, String> env, String home) {
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "predastore");
        }
        return Path.of(home, ".config", "predastore");
    }

    public Path file() {
        return file;
    }

    /** The remembered cluster files, most recent first; empty if the settings file is missing or unreadable. */
    public synchronized List<Path> list() {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try {
            JsonNode root = JSON.readTree(file.toFile());
            JsonNode recent = root == null ? null : root.get(KEY);
            if (recent != null && recent.isArray()) {
                for (JsonNode entry : recent) {
                    if (entry.isTextual() && !entry.asText().isBlank()) {
                        Path p = Path.of(entry.asText());
                        if (!out.contains(p) && out.size() < MAX) {
                            out.add(p);
                        }
                    }
                }
            }
        } catch (IOException | InvalidPathException e) {
            return List.of();
        }
        return List.copyOf(out);
    }

    /** The most recent cluster file if it still exists. */
    public Optional<Path> lastExisting() {
        List<Path> recent = list();
        return recent.isEmpty() || !Files.exists(recent.get(0)) ? Optional.empty() : Optional.of(recent.get(0));
    }

    /** Puts a cluster file first (absolute), dropping an older entry for it and the oldest beyond {@link #MAX}. */
    public synchronized List<Path> remember(Path clusterFile) throws IOException {
        Path entry = clusterFile.toAbsolutePath().normalize();
        List<Path> next = new ArrayList<>();
        next.add(entry);
        for (Path p : list()) {
            if (!p.equals(entry) && next.size() < MAX) {
                next.add(p);
            }
        }
        ObjectNode root = readRoot();
        ArrayNode recent = root.putArray(KEY);
        next.forEach(p -> recent.add(p.toString()));
        write(root);
        return List.copyOf(next);
    }

    /** The clusters connected to by endpoint, most recent first; empty if the file is missing or unreadable. */
    public synchronized List<RecentEndpoint> endpoints() {
        List<RecentEndpoint> out = new ArrayList<>();
        JsonNode list = readRoot().get(ENDPOINTS);
        if (list != null && list.isArray()) {
            for (JsonNode e : list) {
                String endpoint = e.path("endpoint").asText("");
                if (!endpoint.isBlank() && out.size() < MAX
                        && out.stream().noneMatch(r -> r.endpoint().equals(endpoint))) {
                    out.add(new RecentEndpoint(endpoint, e.path("adminAccessKey").asText(""),
                            e.path("s3AccessKey").asText(""), e.path("region").asText(""),
                            e.path("caCertificate").asText("")));
                }
            }
        }
        return List.copyOf(out);
    }

    /** Puts a connected endpoint first, dropping an older entry for the same endpoint and the oldest beyond MAX. */
    public synchronized List<RecentEndpoint> rememberEndpoint(RecentEndpoint endpoint) throws IOException {
        List<RecentEndpoint> next = new ArrayList<>();
        next.add(endpoint);
        for (RecentEndpoint e : endpoints()) {
            if (!e.endpoint().equals(endpoint.endpoint()) && next.size() < MAX) {
                next.add(e);
            }
        }
        ObjectNode root = readRoot();
        ArrayNode list = root.putArray(ENDPOINTS);
        for (RecentEndpoint e : next) {
            ObjectNode o = list.addObject();
            o.put("endpoint", e.endpoint());
            o.put("adminAccessKey", e.adminAccessKey());
            o.put("s3AccessKey", e.s3AccessKey());
            o.put("region", e.region());
            if (!e.caCertificate().isEmpty()) {
                o.put("caCertificate", e.caCertificate());
            }
        }
        write(root);
        return List.copyOf(next);
    }

    /** The settings as they are on disk, or an empty object (so one setting never erases another). */
    private ObjectNode readRoot() {
        if (Files.isRegularFile(file)) {
            try {
                JsonNode root = JSON.readTree(file.toFile());
                if (root instanceof ObjectNode o) {
                    return o;
                }
            } catch (IOException e) {
                // unreadable settings count as none
            }
        }
        return JSON.createObjectNode();
    }

    private void write(ObjectNode root) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
