package io.predastore.chaos.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A file of JSON lines, one record per line, as the suite's logs are kept (the history of operations, the faults).
 * Flushed after every line, so a run that dies keeps what it recorded; {@link #append} is thread-safe.
 *
 * @param <T> the record type, a Java record Jackson can write and read
 */
public final class JsonLines<T> implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter out;

    private JsonLines(BufferedWriter out) {
        this.out = out;
    }

    /** Creates (or truncates) {@code file} for recording. */
    public static <T> JsonLines<T> create(Path file) throws IOException {
        return new JsonLines<>(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    /** Records one line. */
    public synchronized void append(T record) throws IOException {
        out.write(JSON.writeValueAsString(record));
        out.newLine();
        out.flush();
    }

    /**
     * Every record in {@code file}, in the order recorded; {@code what} names one for the error of a line that does
     * not parse (e.g. "an operation").
     */
    public static <T> List<T> read(Path file, Class<T> type, String what) throws IOException {
        List<T> records = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int line = 0;
            for (String s = in.readLine(); s != null; s = in.readLine()) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                try {
                    records.add(JSON.readValue(s, type));
                } catch (IOException e) {
                    throw new IOException(file + " line " + line + " is not " + what + ": " + e.getMessage(), e);
                }
            }
        }
        return records;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
