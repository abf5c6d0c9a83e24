package io.predastore.node.store.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.node.store.ListObjectsRequest;
import io.predastore.node.store.ObjectBody;
import io.predastore.node.store.ObjectHandle;
import io.predastore.node.store.ObjectInfo;
import io.predastore.node.store.TestBodiesAccess;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a writing process at a random point and checks what a restart finds. */
class FilesystemBackendCrashTest {
    @TempDir
    Path dir;

    @Test
    void open_afterProcessKilledMidWrites_keepsAcknowledgedVersionsAndLeaksNothing() throws Exception {
        for (int round = 0; round < 2; round++) {
            Path data = dir.resolve("round" + round);
            Map<String, List<long[]>> tried = new HashMap<>();
            Map<String, long[]> acked = new HashMap<>();
            runAndKill(data, 40 + round * 30, tried, acked);

            try (FilesystemBackend backend = FilesystemBackend.open(data, Clock.systemUTC())) {
                List<ObjectInfo> objects = backend.listObjects(new ListObjectsRequest("crash", "", null, null, 1000))
                        .objects();
                int blobBacked = 0;
                for (ObjectInfo o : objects) {
                    // the stored bytes are exactly one version the writer tried, no older than its last ack
                    byte[] md5 = md5Of(backend, o);
                    assertThat(HexFormat.of().formatHex(md5)).isEqualTo(o.etag());
                    List<long[]> versions = tried.get(o.key());
                    long[] ack = acked.get(o.key());
                    boolean known = versions.stream().anyMatch(v -> (ack == null || v[0] >= ack[0])
                            && v[1] == o.size() && TestBodiesAccess.md5Hex(v[0], v[1]).equals(o.etag()));
                    assertThat(known).as("%s holds an acknowledged or later version", o.key()).isTrue();
                    if (o.size() > FilesystemBackend.INLINE_LIMIT) {
                        blobBacked++;
                    }
                }
                assertThat(objects).extracting(ObjectInfo::key).containsAll(acked.keySet());
                assertThat(files(data.resolve("tmp"))).isZero();
                assertThat(files(data.resolve("blobs"))).as("blob files are exactly the referenced ones")
                        .isEqualTo(blobBacked);
            }
        }
    }

    private static void runAndKill(Path data, int acksBeforeKill, Map<String, List<long[]>> tried,
            Map<String, long[]> acked) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), data.toString()).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            int acks = 0;
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split(" ");
                if (f[0].equals("try")) {
                    tried.computeIfAbsent(f[1], k -> new ArrayList<>())
                            .add(new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])});
                } else if (f[0].equals("ack")) {
                    acked.put(f[1], new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])});
                    if (++acks == acksBeforeKill) {
                        // SIGKILL without closing our end of the pipe: read what it wrote until it died
                        p.toHandle().destroyForcibly();
                    }
                }
            }
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
        assertThat(acked).isNotEmpty();
    }

    private static byte[] md5Of(FilesystemBackend backend, ObjectInfo o) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        try (ObjectHandle h = backend.getObject("crash", o.key()); ObjectBody b = h.open(0, o.size());
                InputStream in = b.openStream()) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return md.digest();
    }

    private static long files(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }
}
