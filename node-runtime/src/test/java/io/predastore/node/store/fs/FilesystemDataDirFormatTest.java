package io.predastore.node.store.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.predastore.node.meta.LocalMetadataStore;
import io.predastore.node.meta.MetaBatch;
import io.predastore.node.meta.MetaEntry;
import io.predastore.node.meta.MetaTable;
import io.predastore.node.store.BucketInfo;
import io.predastore.node.store.CompleteMultipartUploadRequest;
import io.predastore.node.store.CompletedPart;
import io.predastore.node.store.ListObjectsRequest;
import io.predastore.node.store.ListPartsResult;
import io.predastore.node.store.ListUploadsRequest;
import io.predastore.node.store.ListUploadsResult;
import io.predastore.node.store.ObjectBody;
import io.predastore.node.store.ObjectHandle;
import io.predastore.node.store.ObjectInfo;
import io.predastore.node.store.PartInfo;
import io.predastore.node.store.WritePrecondition;
import io.predastore.node.store.meta.RecordCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory written by an earlier release (resource {@code data-dir-format-1}: the first filesystem format,
 * RocksDB tables {@code buckets, objects, uploads, parts, intents, garbage} and blob files) still opens, and
 * everything in it reads back and can be carried on: buckets, an inline and a blob object with their metadata, a
 * completed multipart object, and an upload in progress with two parts (completed here with one of them). Opening
 * migrates it to the current format ({@link DataDirFormat}): every record is rewritten in the shared encoding, also
 * after a migration cut short, and a directory of a newer format is refused untouched. Every later format must keep
 * this test green.
 */
class FilesystemDataDirFormatTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T00:00:00Z"), ZoneOffset.UTC);
    private static final Instant WRITTEN = Instant.parse("2026-12-01T10:00:00Z");
    private static final String PENDING = "01a2310c010000017b606ce7bd483841";

    @TempDir
    Path dir;

    @Test
    void open_formatOneDirectory_everythingReadsBackAndCarriesOn() throws Exception {
        Path data = copyFixture();

        try (FilesystemBackend fs = FilesystemBackend.open(data, CLOCK)) {
            assertThat(fs.listBuckets()).containsExactly(new BucketInfo("empty", WRITTEN, "us-east-1"),
                    new BucketInfo("fixture", WRITTEN, "eu-west-1"));
            assertThat(fs.listObjects(new ListObjectsRequest("fixture", "", null, null, 1000)).objects())
                    .extracting(ObjectInfo::key).containsExactly("assembled.bin", "blobs/big.bin", "docs/small.txt");

            ObjectInfo small = fs.headObject("fixture", "docs/small.txt");
            assertThat(small.metadata().contentType()).isEqualTo("text/plain");
            assertThat(small.metadata().cacheControl()).isEqualTo("no-cache");
            assertThat(small.metadata().userMetadata()).isEqualTo(Map.of("color", "blue", "owner", "ops"));
            assertThat(small.lastModified()).isEqualTo(WRITTEN);
            assertThat(read(fs, "docs/small.txt")).isEqualTo("hello from an inline object\n".getBytes());

            byte[] big = pattern(70_000, 7);
            assertThat(read(fs, "blobs/big.bin")).isEqualTo(big);
            assertThat(fs.headObject("fixture", "blobs/big.bin").etag()).isEqualTo(md5(big));

            ObjectInfo assembled = fs.headObject("fixture", "assembled.bin");
            assertThat(assembled.partsCount()).isEqualTo(1);
            assertThat(assembled.etag()).endsWith("-1");
            assertThat(assembled.metadata().userMetadata()).isEqualTo(Map.of("parts", "one"));
            assertThat(read(fs, "assembled.bin")).isEqualTo(pattern(20, 1));

            ListUploadsResult uploads = fs.listMultipartUploads(new ListUploadsRequest("fixture", null, null, null,
                    null, 1000));
            assertThat(uploads.uploads()).singleElement().satisfies(u -> {
                assertThat(u.key()).isEqualTo("pending.bin");
                assertThat(u.uploadId()).isEqualTo(PENDING);
            });
            ListPartsResult parts = fs.listParts("fixture", "pending.bin", PENDING, 0, 1000);
            assertThat(parts.parts()).extracting(PartInfo::size).containsExactly(10L, 20L);

            fs.completeMultipartUpload(new CompleteMultipartUploadRequest("fixture", "pending.bin", PENDING,
                    List.of(new CompletedPart(2, parts.parts().get(1).etag())), WritePrecondition.NONE));
            fs.deleteObject("fixture", "blobs/big.bin");
        }

        try (FilesystemBackend fs = FilesystemBackend.open(data, CLOCK)) {
            assertThat(read(fs, "pending.bin")).isEqualTo(pattern(20, 2));
            assertThat(fs.listObjects(new ListObjectsRequest("fixture", "", null, null, 1000)).objects())
                    .extracting(ObjectInfo::key).containsExactly("assembled.bin", "docs/small.txt", "pending.bin");
        }
        try (Stream<Path> blobs = Files.walk(data.resolve("blobs"))) {
            // the completed object's part and the pending upload's part 2; part 1 was left out and freed
            assertThat(blobs.filter(Files::isRegularFile).count()).as("blob files left").isEqualTo(2);
        }
    }

    @Test
    void open_formatOneDirectory_migratesEveryRecordToTheSharedEncodingAndRecordsTheFormat() throws Exception {
        Path data = copyFixture();
        assertThat(data.resolve(DataDirFormat.FILE)).doesNotExist();

        FilesystemBackend.open(data, CLOCK).close();

        assertThat(Files.readString(data.resolve(DataDirFormat.FILE))).contains("format=" + DataDirFormat.CURRENT);
        try (LocalMetadataStore meta = LocalMetadataStore.open(data.resolve("meta"))) {
            List<MetaEntry> objects = meta.scan(MetaTable.OBJECTS, new byte[0], null, 100);
            List<MetaEntry> parts = meta.scan(MetaTable.PARTS, new byte[0], null, 100);
            assertThat(objects).hasSize(3).allSatisfy(e -> assertThat(RecordCodec.isCurrentObject(e.value())).isTrue());
            assertThat(parts).hasSize(2).allSatisfy(e -> assertThat(RecordCodec.isCurrentPart(e.value())).isTrue());
        }
    }

    @Test
    void open_migrationCutShort_runsAgainAndFinishes() throws Exception {
        Path data = copyFixture();
        // What a crash in the middle of a migration leaves: some records rewritten, no format file yet.
        RecordCodec<BlobSegment> records = new RecordCodec<>(BlobSegment.CODEC);
        try (LocalMetadataStore meta = LocalMetadataStore.open(data.resolve("meta"))) {
            MetaEntry first = meta.scan(MetaTable.OBJECTS, new byte[0], null, 1).get(0);
            meta.apply(MetaBatch.of(new MetaBatch.Put(MetaTable.OBJECTS, first.key(),
                    records.encodeObject(FormatOneRecords.decodeObject(first.value())))));
        }
        assertThat(data.resolve(DataDirFormat.FILE)).doesNotExist();

        try (FilesystemBackend fs = FilesystemBackend.open(data, CLOCK)) {
            assertThat(fs.listObjects(new ListObjectsRequest("fixture", "", null, null, 1000)).objects())
                    .extracting(ObjectInfo::key).containsExactly("assembled.bin", "blobs/big.bin", "docs/small.txt");
            assertThat(read(fs, "blobs/big.bin")).isEqualTo(pattern(70_000, 7));
            assertThat(read(fs, "docs/small.txt")).isEqualTo("hello from an inline object\n".getBytes());
        }
        assertThat(Files.readString(data.resolve(DataDirFormat.FILE))).contains("format=" + DataDirFormat.CURRENT);
    }

    @Test
    void open_newDirectory_writesTheCurrentFormat() throws Exception {
        Path data = dir.resolve("fresh");
        FilesystemBackend.open(data, CLOCK).close();
        assertThat(Files.readString(data.resolve(DataDirFormat.FILE))).contains("format=" + DataDirFormat.CURRENT);
    }

    @Test
    void open_directoryOfANewerFormat_refusedBeforeAnythingIsTouched() throws Exception {
        Path data = copyFixture();
        Files.writeString(data.resolve(DataDirFormat.FILE), "format=" + (DataDirFormat.CURRENT + 1) + "\n");
        List<String> before = listing(data);

        assertThatThrownBy(() -> FilesystemBackend.open(data, CLOCK)).isInstanceOf(IOException.class)
                .hasMessageContaining("format " + (DataDirFormat.CURRENT + 1))
                .hasMessageContaining("newer release");
        assertThat(listing(data)).isEqualTo(before);
    }

    @Test
    void open_damagedFormatFile_refusedWithWhatToDo() throws Exception {
        Path data = copyFixture();
        Files.writeString(data.resolve(DataDirFormat.FILE), "garbage\n");

        assertThatThrownBy(() -> FilesystemBackend.open(data, CLOCK)).isInstanceOf(IOException.class)
                .hasMessageContaining("does not say which format").hasMessageContaining("format=");
    }

    private static List<String> listing(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    /** The bytes the fixture's objects were written with. */
    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ((i * 31 + seed) % 251);
        }
        return b;
    }

    private static byte[] read(FilesystemBackend fs, String key) throws IOException {
        try (ObjectHandle h = fs.getObject("fixture", key);
                ObjectBody body = h.open(0, h.info().size());
                InputStream in = body.openStream()) {
            return in.readAllBytes();
        }
    }

    private static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    private Path copyFixture() throws IOException, URISyntaxException {
        Path source = Path.of(getClass().getResource("data-dir-format-1").toURI());
        Path target = dir.resolve("data");
        try (Stream<Path> files = Files.walk(source)) {
            files.forEach(p -> {
                try {
                    Path t = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(t);
                    } else {
                        Files.copy(p, t);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return target;
    }
}
