package io.predastore.node.store;

import java.io.IOException;
import java.util.Optional;
import java.util.function.IntToLongFunction;

/**
 * An opened object version. Reading it is safe while the key is concurrently overwritten or deleted. Not
 * thread-safe; close it when done (the bodies it opened stay readable until they are closed themselves).
 */
public interface ObjectHandle extends AutoCloseable {

    /** The record of the opened version. */
    ObjectInfo info();

    /**
     * Opens {@code length} bytes from {@code offset}; the caller has checked the range against the size.
     */
    ObjectBody open(long offset, long length) throws IOException;

    /**
     * Where part {@code partNumber} of this version lies. The parts of a completed multipart upload are counted
     * from 1 in the order the completion listed them (so {@code 1..partsCount}, whatever numbers they were
     * uploaded with); a version that was not uploaded in parts is one part, the whole object.
     *
     * @return the part's bytes, or empty when the version has no such part
     * @throws IOException if the stored record does not list one byte location per part (it is damaged)
     */
    Optional<Span> part(int partNumber) throws IOException;

    @Override
    void close() throws IOException;

    /** {@code length} bytes of the object from {@code offset}. */
    record Span(long offset, long length) {
        public Span {
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException("span " + offset + "+" + length + " is negative");
            }
        }

        /**
         * Part {@code partNumber} of {@code info}, from the lengths of the byte locations its record lists in order
         * (one per part for a multipart version): what every backend's {@link ObjectHandle#part} answers.
         */
        public static Optional<Span> ofPart(ObjectInfo info, int partNumber, int segments, IntToLongFunction length)
                throws IOException {
            if (info.partsCount() == 0) {
                return partNumber == 1 ? Optional.of(new Span(0, info.size())) : Optional.empty();
            }
            if (segments != info.partsCount()) {
                throw new IOException("The record of " + info.bucket() + "/" + info.key() + " lists " + segments
                        + " byte locations for " + info.partsCount() + " parts; the metadata is damaged");
            }
            if (partNumber < 1 || partNumber > segments) {
                return Optional.empty();
            }
            long offset = 0;
            for (int i = 0; i < partNumber - 1; i++) {
                offset += length.applyAsLong(i);
            }
            return Optional.of(new Span(offset, length.applyAsLong(partNumber - 1)));
        }
    }
}
