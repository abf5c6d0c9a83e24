package io.predastore.node.meta;

import java.util.List;
import java.util.Objects;

/**
 * Writes applied atomically, all or nothing, if and only if every condition holds when the batch is applied
 * (in log order on every peer, so the outcome is the same everywhere).
 */
public record MetaBatch(List<Condition> conditions, List<Op> ops) {
    public MetaBatch {
        conditions = List.copyOf(conditions);
        ops = List.copyOf(ops);
        if (ops.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one operation");
        }
    }

    /** An unconditional batch. */
    public static MetaBatch of(Op... ops) {
        return new MetaBatch(List.of(), List.of(ops));
    }

    /** The current value of {@code key} must equal {@code expected}, or the key must be absent if it is null. */
    public record Condition(MetaTable table, byte[] key, byte[] expected) {
        public Condition {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(key, "key");
        }
    }

    /** A write: {@link Put}, {@link Delete} or {@link Replace}. */
    public sealed interface Op permits Put, Delete, Replace {
        MetaTable table();

        byte[] key();
    }

    /** Sets {@code key} to {@code value}. */
    public record Put(MetaTable table, byte[] key, byte[] value) implements Op {
        public Put {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** Removes {@code key}; no-op if absent. */
    public record Delete(MetaTable table, byte[] key) implements Op {
        public Delete {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * Sets {@code key} to {@code value} and, if the key held a different value before this batch, also writes that
     * previous value to {@code keepTable} under {@code keepKey}. Lets a writer replace a record and keep what it
     * replaced (e.g. to clean up after it) without reading it first. Applying the same replace twice keeps nothing
     * the second time, so a resent request cannot make the live value look replaced.
     */
    public record Replace(MetaTable table, byte[] key, byte[] value, MetaTable keepTable, byte[] keepKey)
            implements Op {
        public Replace {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(keepTable, "keepTable");
            Objects.requireNonNull(keepKey, "keepKey");
        }
    }
}
