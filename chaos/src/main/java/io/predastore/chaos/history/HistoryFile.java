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
 * A history as a file of JSON lines, one {@link Op} per line in completion order (the order a recorder learns of
 * them). {@link #append} is thread-safe, so concurrent clients record into one file; the file is flushed after every
 * line, so a run that dies keeps what it recorded.
 */
public final class HistoryFile implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter out;

    private HistoryFile(BufferedWriter out) {
        this.out = out;
    }

    /** Creates (or truncates) {@code file} for recording. */
    public static HistoryFile create(Path file) throws IOException {
        return new HistoryFile(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    /** Records one completed operation. */
    public synchronized void append(Op op) throws IOException {
        out.write(JSON.writeValueAsString(op));
        out.newLine();
        out.flush();
    }

    /** Every operation in {@code file}, in the order recorded. */
    public static List<Op> read(Path file) throws IOException {
        List<Op> ops = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int line = 0;
            for (String s = in.readLine(); s != null; s = in.readLine()) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                try {
                    ops.add(JSON.readValue(s, Op.class));
                } catch (IOException e) {
                    throw new IOException(file + " line " + line + " is not an operation: " + e.getMessage(), e);
                }
            }
        }
        return ops;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
