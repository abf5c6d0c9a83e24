package io.predastore.node.store.fs;

import io.predastore.node.disk.OwnerOnly;
import io.predastore.node.store.RecordIo;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blob files: {@code tmp/<id>} while being written, {@code blobs/<first 2 hex of id>/<id>} once complete.
 * Ids are 128 random bits in hex, never derived from a key, so no key can name or escape a path.
 */
final class BlobStore {
    static final int ID_BYTES = 16;
    private static final Logger LOG = LoggerFactory.getLogger(BlobStore.class);
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    private final Path tmpDir;
    private final Path blobDir;

    BlobStore(Path dataDir) throws IOException {
        this.tmpDir = dataDir.resolve("tmp");
        this.blobDir = dataDir.resolve("blobs");
        OwnerOnly.createDirectories(tmpDir);
        OwnerOnly.createDirectories(blobDir);
        for (int i = 0; i < 256; i++) {
            OwnerOnly.createDirectories(blobDir.resolve(String.format("%02x", i)));
        }
        fsyncDirectory(blobDir);
        fsyncDirectory(dataDir);
    }

    static String newId() {
        byte[] id = new byte[ID_BYTES];
        RANDOM.get().nextBytes(id);
        return RecordIo.hex(id);
    }

    Path tmpPath(String id) {
        return tmpDir.resolve(id);
    }

    Path blobPath(String id) {
        return blobDir.resolve(id.substring(0, 2)).resolve(id);
    }

    Path tmpDir() {
        return tmpDir;
    }

    Path blobDir() {
        return blobDir;
    }

    /** Moves a complete, fsynced temp file into blobs/ and makes the rename durable. */
    void publish(String id) throws IOException {
        Path target = blobPath(id);
        Files.move(tmpPath(id), target, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(target.getParent());
    }

    /** Deletes a blob if present; failures are logged (the blob is garbage either way). */
    void deleteQuietly(String id) {
        deleteQuietly(blobPath(id));
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("Could not delete {}; it is unreferenced and can be removed by hand", p, e);
        }
    }

    /** Removes everything left in tmp/ by writes that never finished. */
    int clearTmp() throws IOException {
        int n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmpDir)) {
            for (Path f : files) {
                try {
                    Files.deleteIfExists(f);
                    n++;
                } catch (NoSuchFileException ignored) {
                    // already gone
                }
            }
        }
        return n;
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static void writeId(DataOutputStream out, String blobId) throws IOException {
        out.write(RecordIo.unhex(blobId));
    }

    static String readId(DataInputStream in) throws IOException {
        byte[] id = new byte[ID_BYTES];
        in.readFully(id);
        return RecordIo.hex(id);
    }
}
