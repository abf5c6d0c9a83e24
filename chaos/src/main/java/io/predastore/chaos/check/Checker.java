package io.predastore.chaos.check;

import io.predastore.chaos.history.HistoryFile;
import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.OpType;
import io.predastore.chaos.history.Outcome;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a history of a fault-injection run: every key's operations must be linearizable as a register (absent or
 * one write id), every read's bytes intact, and the listings taken after the last write complete. Keys are checked
 * one at a time, each on its own (linearizability composes per object). Each key's search is bounded by a budget of
 * steps; a key that exhausts it is reported {@link FindingType#UNDECIDED}, never as a violation.
 *
 * <p>Stateless and thread-safe. From the command line: {@code Checker <history.jsonl> [--budget <steps per key>]};
 * exits 0 when the history is proven correct, 1 on a violation, 2 when some key is undecided and nothing is
 * violated, 64 on bad arguments, 65 when an operation is malformed and 66 when the file cannot be read.
 */
public final class Checker {
    /** Steps per key by default: far more than a valid history of a few thousand operations per key needs. */
    public static final long DEFAULT_STEP_BUDGET = 2_000_000;

    private final long budget;

    /** A checker with {@link #DEFAULT_STEP_BUDGET}. */
    public Checker() {
        this(DEFAULT_STEP_BUDGET);
    }

    /**
     * A checker whose search gives up on a key after {@code budget} steps.
     *
     * @throws IllegalArgumentException if the budget is not positive
     */
    public Checker(long budget) {
        if (budget <= 0) {
            throw new IllegalArgumentException("the step budget must be positive, not " + budget);
        }
        this.budget = budget;
    }

    /** Checks a history file written by {@link HistoryFile}; throws if the file cannot be read or parsed. */
    public CheckResult check(Path historyFile) throws IOException {
        return check(HistoryFile.read(historyFile));
    }

    /**
     * Checks a history, in any order.
     *
     * @throws IllegalArgumentException if an operation is malformed: a write of a value without its write id
     */
    public CheckResult check(List<Op> history) {
        Map<OpType, Map<Outcome, Integer>> counts = new EnumMap<>(OpType.class);
        Map<String, List<Op>> byKey = new TreeMap<>();
        List<Finding> findings = new ArrayList<>();
        for (Op op : history) {
            if (op.type().writes() && op.type() != OpType.DELETE && op.value() == null) {
                throw new IllegalArgumentException("operation " + op.id() + " (" + op.type() + " of " + op.key()
                        + " by worker " + op.worker() + ") names no write id: the recorder must set its value");
            }
            counts.computeIfAbsent(op.type(), t -> new EnumMap<>(Outcome.class)).merge(op.outcome(), 1, Integer::sum);
            if (op.type() != OpType.LIST) {
                byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            }
        }
        long steps = 0;
        for (Map.Entry<String, List<Op>> key : byKey.entrySet()) {
            KeyModel model = KeyModel.of(key.getKey(), key.getValue());
            findings.addAll(corruptReads(model));
            RegisterSearch.Result result = RegisterSearch.run(model.steps, budget);
            steps += result.steps();
            if (result.verdict() != RegisterSearch.Verdict.LINEARIZABLE) {
                findings.addAll(Violations.explain(model, result));
            }
        }
        findings.addAll(ListingCheck.check(history));
        findings.sort(Comparator.comparing(Finding::type));
        return new CheckResult(counts, history.size(), byKey.size(), findings, steps, budget);
    }

    private static List<Finding> corruptReads(KeyModel model) {
        List<Finding> instances = new ArrayList<>();
        for (Op op : model.ops) {
            if (op.corrupt()) {
                String text = OpText.action(op) + " at " + OpText.ms(op.invoked()) + " on " + op.node() + " (worker "
                        + op.worker() + ") returned bytes no write produced"
                        + (op.observed() == null ? "" : " (its header names " + op.observed() + ")")
                        + (op.error() == null ? "" : ": " + op.error());
                instances.add(new Finding(FindingType.CORRUPT_READ, model.key, text,
                        Excerpt.of(model.ops, List.of(op), op, op.invoked(), op.completed())));
            }
        }
        return instances.isEmpty() ? List.of() : List.of(Violations.firstOf(instances));
    }

    /** Checks the history file named by the arguments, prints the result and exits with its code (see above). */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** What {@link #main} does, returning the exit code instead of exiting. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        long budget = DEFAULT_STEP_BUDGET;
        Path file = null;
        Checker checker;
        try {
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--budget") && i + 1 < args.length) {
                    budget = Long.parseLong(args[++i]);
                } else if (file == null && !args[i].startsWith("--")) {
                    file = Path.of(args[i]);
                } else {
                    throw new IllegalArgumentException("unexpected argument " + args[i]);
                }
            }
            if (file == null) {
                throw new IllegalArgumentException("no history file given");
            }
            checker = new Checker(budget);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + "; usage: Checker <history.jsonl> [--budget <steps per key>]");
            return 64;
        }
        try {
            CheckResult result = checker.check(file);
            out.print(result.render());
            return result.valid() ? 0 : result.violated() ? 1 : 2;
        } catch (IllegalArgumentException e) {
            err.println("the history " + file + " is malformed: " + e.getMessage());
            return 65;
        } catch (IOException e) {
            err.println("cannot read the history: " + e.getMessage());
            return 66;
        }
    }
}
