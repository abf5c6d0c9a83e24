package io.predastore.chaos.history;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A history as a file of JSON lines, one {@link Op} per line in completion order (the order a recorder learns of
 * them). {@link #append} is thread-safe, so concurrent clients record into one file; the file is flushed after every
 * line, so a run that dies keeps what it recorded.
 */
public final class HistoryFile implements AutoCloseable {
    private final JsonLines<Op> lines;

    private HistoryFile(JsonLines<Op> lines) {
        this.lines = lines;
    }

    /** Creates (or truncates) {@code file} for recording. */
    public static HistoryFile create(Path file) throws IOException {
        return new HistoryFile(JsonLines.create(file));
    }

    /** Records one completed operation. */
    public void append(Op op) throws IOException {
        lines.append(op);
    }

    /** Every operation in {@code file}, in the order recorded. */
    public static List<Op> read(Path file) throws IOException {
        return JsonLines.read(file, Op.class, "an operation");
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
