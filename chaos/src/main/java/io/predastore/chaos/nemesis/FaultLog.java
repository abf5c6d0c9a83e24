package io.predastore.chaos.nemesis;

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
 * The faults of a run as a file of JSON lines, one {@link FaultEvent} per line in the order they were healed. Flushed
 * after every line, so a run that dies keeps what it recorded. {@link #append} is thread-safe.
 */
public final class FaultLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter out;

    private FaultLog(BufferedWriter out) {
        this.out = out;
    }

    /** Creates (or truncates) {@code file} for recording. */
    public static FaultLog create(Path file) throws IOException {
        return new FaultLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    /** Records one fault. */
    public synchronized void append(FaultEvent event) throws IOException {
        out.write(JSON.writeValueAsString(event));
        out.newLine();
        out.flush();
    }

    /** Every fault in {@code file}, in the order recorded. */
    public static List<FaultEvent> read(Path file) throws IOException {
        List<FaultEvent> events = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int line = 0;
            for (String s = in.readLine(); s != null; s = in.readLine()) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                try {
                    events.add(JSON.readValue(s, FaultEvent.class));
                } catch (IOException e) {
                    throw new IOException(file + " line " + line + " is not a fault event: " + e.getMessage(), e);
                }
            }
        }
        return events;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
