package io.predastore.protocol.admin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON mapping of the admin API. Properties are written in record component order; unknown properties are
 * ignored when reading, so an older app can read a newer node's answers.
 */
public final class AdminJson {
    /** Thread-safe once built; do not reconfigure. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private AdminJson() {
    }

    /** The compact JSON of {@code value}. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** The UTF-8 JSON bytes of {@code value}. */
    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * Reads {@code json} as a {@code type}.
     *
     * @throws IOException if it is not valid JSON or fails the record's checks
     */
    public static <T> T read(byte[] json, Class<T> type) throws IOException {
        try {
            return MAPPER.readValue(json, type);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException("Invalid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code json} as a {@code type}. */
    public static <T> T read(String json, Class<T> type) throws IOException {
        try {
            return MAPPER.readValue(json, type);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException("Invalid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
