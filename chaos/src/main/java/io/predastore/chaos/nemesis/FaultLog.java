package io.predastore.chaos.nemesis;

import io.predastore.chaos.history.JsonLines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The faults of a run as a file of JSON lines, one {@link FaultEvent} per line in the order they were healed. Flushed
 * after every line, so a run that dies keeps what it recorded. {@link #append} is thread-safe.
 */
public final class FaultLog implements AutoCloseable {
    private final JsonLines<FaultEvent> lines;

    private FaultLog(JsonLines<FaultEvent> lines) {
        this.lines = lines;
    }

    /** Creates (or truncates) {@code file} for recording. */
    public static FaultLog create(Path file) throws IOException {
        return new FaultLog(JsonLines.create(file));
    }

    /** Records one fault. */
    public void append(FaultEvent event) throws IOException {
        lines.append(event);
    }

    /** Every fault in {@code file}, in the order recorded. */
    public static List<FaultEvent> read(Path file) throws IOException {
        return JsonLines.read(file, FaultEvent.class, "a fault event");
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
