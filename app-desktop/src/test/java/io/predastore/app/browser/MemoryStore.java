package io.predastore.app.browser;

import io.predastore.app.service.ObjectDetails;
import io.predastore.app.service.ObjectEntry;
import io.predastore.app.service.ObjectStore;
import io.predastore.app.service.Transfer;
import io.predastore.app.service.TransferCancelledException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory bucket store for view-model tests; records the listing prefixes it was asked for. */
final class MemoryStore implements ObjectStore {
    final Map<String, ConcurrentSkipListMap<String, byte[]>> buckets = new TreeMap<>();
    final List<String> listedPrefixes = new CopyOnWriteArrayList<>();
    /** Called during an upload, after the first half of the bytes were counted. */
    Runnable midUpload = () -> { };

    MemoryStore put(String bucket, String key, String content) {
        buckets.computeIfAbsent(bucket, b -> new ConcurrentSkipListMap<>()).put(key, content.getBytes());
        return this;
    }

    @Override
    public URI endpoint() {
        return URI.create("http://memory");
    }

    @Override
    public List<String> listBuckets() {
        return List.copyOf(buckets.keySet());
    }

    @Override
    public void createBucket(String bucket) {
        buckets.computeIfAbsent(bucket, b -> new ConcurrentSkipListMap<>());
    }

    @Override
    public List<ObjectEntry> list(String bucket, String folder, String search) {
        String prefix = folder + search;
        listedPrefixes.add(prefix);
        TreeSet<String> folders = new TreeSet<>();
        List<ObjectEntry> objects = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : buckets.get(bucket).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            int slash = e.getKey().indexOf('/', prefix.length());
            if (slash >= 0) {
                folders.add(e.getKey().substring(0, slash + 1));
            } else {
                objects.add(new ObjectEntry(e.getKey(), false, e.getValue().length, Instant.EPOCH));
            }
        }
        List<ObjectEntry> out = new ArrayList<>();
        folders.forEach(f -> out.add(new ObjectEntry(f, true, 0, null)));
        out.addAll(objects);
        return out;
    }

    @Override
    public List<ObjectEntry> listRecursive(String bucket, String prefix) {
        return buckets.get(bucket).entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .map(e -> new ObjectEntry(e.getKey(), false, e.getValue().length, Instant.EPOCH)).toList();
    }

    @Override
    public void upload(String bucket, String key, Path file, Transfer transfer) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        transfer.checkCancelled();
        io.predastore.app.service.TransferAccess.advance(transfer, bytes.length / 2);
        midUpload.run();
        if (transfer.cancelRequested()) {
            throw new TransferCancelledException();
        }
        io.predastore.app.service.TransferAccess.advance(transfer, bytes.length - bytes.length / 2);
        buckets.get(bucket).put(key, bytes);
    }

    @Override
    public void download(String bucket, String key, Path target) throws IOException {
        Files.write(target, buckets.get(bucket).get(key));
    }

    @Override
    public void delete(String bucket, String key) {
        buckets.get(bucket).remove(key);
    }

    @Override
    public ObjectDetails head(String bucket, String key) {
        byte[] b = buckets.get(bucket).get(key);
        return new ObjectDetails(bucket, key, b.length, "\"etag\"", "text/plain", Instant.EPOCH,
                Map.of("owner", "test"));
    }

    @Override
    public String presignGet(String bucket, String key, Duration validity) {
        return "http://memory/" + bucket + "/" + key + "?X-Amz-Expires=" + validity.toSeconds();
    }

    @Override
    public void close() {
    }
}
