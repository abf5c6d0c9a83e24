package io.predastore.chaos;

import io.predastore.chaos.nemesis.FaultKind;
import io.predastore.chaos.nemesis.NemesisOptions;
import io.predastore.node.meta.Weakening;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a chaos run does: how long the load lasts, which faults the nemesis may inject and how often, the seed that
 * decides workload and faults, how many clients, and where the run keeps its files. Immutable; {@link #parse} reads
 * the command line of {@link ChaosRun}.
 *
 * @param duration        how long the workload and the nemesis run
 * @param faults          the kinds of fault to inject; empty: none (a run on a healthy cluster)
 * @param seed            decides the workload's operations and the nemesis' faults
 * @param workers         concurrent S3 clients
 * @param beyondTolerance let a fault hit {@code parity + 1} nodes: errors are then expected, wrong data never
 * @param out             the run's directory (history, fault log, report, timeline, cluster and node logs)
 * @param nodeJar         {@code predastore-node.jar}, the node the cluster runs
 * @param minGap          the shortest quiet time before a fault
 * @param maxGap          the longest quiet time before a fault
 * @param minFault        the shortest time a fault lasts
 * @param maxFault        the longest time a fault lasts
 * @param weaken          guarantees every node breaks on purpose ({@link Weakening}), to show that the suite
 *                        catches it: such a run must end with violations; empty for a real run
 * @param nodes           how many nodes the cluster has (at least the erasure code's width, 5; a sixth lets the
 *                        cluster rebuild a lost node's shards elsewhere)
 */
public record RunOptions(Duration duration, Set<FaultKind> faults, long seed, int workers, boolean beyondTolerance,
        Path out, Path nodeJar, Duration minGap, Duration maxGap, Duration minFault, Duration maxFault,
        Set<Weakening> weaken, int nodes) {

    /** The usage text of the command line. */
    public static final String USAGE = """
            Usage: ChaosRun [--duration 30m] [--faults all|none|kill,pause,...] [--seed N] [--workers 6]
                            [--nodes 5] [--beyond-tolerance] [--out DIR] [--node-jar PATH] [--gap 3s-8s]
                            [--fault-time 2s-10s] [--weaken local-reads]

              --duration D        how long the load and the faults last (e.g. 30m, 150s, 1h); default 5m
              --faults F          all (default), none, or a comma list of kill, pause, partition, disk-full,
                                  rot, wipe, lose, churn
              --seed N            seeds the workload and the nemesis; default random (always printed)
              --workers N         concurrent S3 clients; default 6
              --nodes N           nodes in the cluster, 5 to 9; default 5 (with 6 or more, a lost node's shards
                                  can be rebuilt elsewhere)
              --beyond-tolerance  let one fault hit parity + 1 nodes: errors are expected, wrong data never
              --out DIR           where the history, fault log, report and node logs go;
                                  default chaos/target/chaos-<seed>
              --node-jar PATH     the node to run; default node-runtime/target/predastore-node.jar
              --gap MIN-MAX       quiet time before each fault; default 3s-8s
              --fault-time MIN-MAX  how long each fault lasts; default 2s-10s
              --weaken W          start every node with a guarantee broken on purpose (local-reads: metadata
                                  reads without the read index), to see the suite catch it: the run must
                                  then end with violations. Never on data you care about.

            Needs root (every node runs in a network namespace of its own). Exit code: 0 no violation, 1 a
            violation, 2 only undecided keys, 3 the run could not be done.
            """;

    /** The fewest nodes: the erasure code's width, RS(3,2). */
    public static final int MIN_NODES = 5;
    /** The most nodes a run on one small machine is given. */
    public static final int MAX_NODES = 9;

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    public RunOptions {
        Objects.requireNonNull(duration, "duration");
        faults = faults.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(faults));
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(nodeJar, "nodeJar");
        weaken = weaken.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(weaken));
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("the duration must be positive, not " + duration);
        }
        if (nodes < MIN_NODES || nodes > MAX_NODES) {
            throw new IllegalArgumentException("--nodes must be " + MIN_NODES + " to " + MAX_NODES + ", not " + nodes);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, not " + workers);
        }
        // Checked here so that a bad range is a usage error, not a failure half-way through a run.
        NemesisOptions.defaults(seed).withGap(minGap, maxGap).withDuration(minFault, maxFault);
    }

    /** A run of {@code duration} with every fault, the nemesis' default timing, 6 workers, the default paths. */
    public static RunOptions defaults(Duration duration, long seed) {
        NemesisOptions n = NemesisOptions.defaults(seed);
        return new RunOptions(duration, EnumSet.allOf(FaultKind.class), seed, 6, false, defaultOut(seed),
                Path.of("node-runtime", "target", "predastore-node.jar"), n.minGap(), n.maxGap(), n.minDuration(),
                n.maxDuration(), Set.of(), MIN_NODES);
    }

    /** The default run directory of a seed: {@code chaos/target/chaos-<seed>}. */
    public static Path defaultOut(long seed) {
        return Path.of("chaos", "target", "chaos-" + seed);
    }

    /** The same with only {@code kinds} injected (none: no nemesis). */
    public RunOptions withFaults(Set<FaultKind> kinds) {
        return new RunOptions(duration, kinds, seed, workers, beyondTolerance, out, nodeJar, minGap, maxGap,
                minFault, maxFault, weaken, nodes);
    }

    /** The same with another seed (the run directory left as it is). */
    public RunOptions withSeed(long newSeed) {
        return new RunOptions(duration, faults, newSeed, workers, beyondTolerance, out, nodeJar, minGap, maxGap,
                minFault, maxFault, weaken, nodes);
    }

    /** The same with the run directory {@code dir}. */
    public RunOptions withOut(Path dir) {
        return new RunOptions(duration, faults, seed, workers, beyondTolerance, dir, nodeJar, minGap, maxGap,
                minFault, maxFault, weaken, nodes);
    }

    /** The same running {@code jar}. */
    public RunOptions withNodeJar(Path jar) {
        return new RunOptions(duration, faults, seed, workers, beyondTolerance, out, jar, minGap, maxGap, minFault,
                maxFault, weaken, nodes);
    }

    /** The same with quiet times of {@code min} to {@code max} before each fault and faults lasting {@code from}
     * to {@code to}. */
    public RunOptions withTiming(Duration min, Duration max, Duration from, Duration to) {
        return new RunOptions(duration, faults, seed, workers, beyondTolerance, out, nodeJar, min, max, from, to,
                weaken, nodes);
    }

    /** The same with every node started weakened in these ways (none: a real run). */
    public RunOptions withWeaken(Set<Weakening> weakenings) {
        return new RunOptions(duration, faults, seed, workers, beyondTolerance, out, nodeJar, minGap, maxGap,
                minFault, maxFault, weakenings, nodes);
    }

    /** The same with a cluster of {@code count} nodes. */
    public RunOptions withNodes(int count) {
        return new RunOptions(duration, faults, seed, workers, beyondTolerance, out, nodeJar, minGap, maxGap,
                minFault, maxFault, weaken, count);
    }

    /** The JVM options that start a node with {@link #weaken()}; none for a real run. */
    public List<String> nodeJvmOptions() {
        return weaken.isEmpty() ? List.of() : List.of("-D" + Weakening.PROPERTY + "=" + weakenText());
    }

    /** The weakenings as {@code --weaken} takes them. */
    public String weakenText() {
        return String.join(",", EnumSet.copyOf(weaken).stream().map(Weakening::cliName).toList());
    }

    /** What the nemesis is given. Only meaningful when {@link #faults()} is not empty. */
    public NemesisOptions nemesisOptions() {
        return NemesisOptions.defaults(seed).withFaults(faults).withBeyondTolerance(beyondTolerance)
                .withGap(minGap, maxGap).withDuration(minFault, maxFault);
    }

    /**
     * Reads a command line.
     *
     * @throws IllegalArgumentException naming the bad argument and what is expected instead
     */
    public static RunOptions parse(String... args) {
        Duration duration = Duration.ofMinutes(5);
        Set<FaultKind> faults = EnumSet.allOf(FaultKind.class);
        Long seed = null;
        int workers = 6;
        boolean beyond = false;
        Path out = null;
        Path jar = Path.of("node-runtime", "target", "predastore-node.jar");
        NemesisOptions n = NemesisOptions.defaults(0);
        Duration[] gap = {n.minGap(), n.maxGap()};
        Duration[] faultTime = {n.minDuration(), n.maxDuration()};
        Set<Weakening> weaken = Set.of();
        int nodes = MIN_NODES;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--beyond-tolerance")) {
                beyond = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg.startsWith("--") ? arg + " needs a value"
                        : "unexpected argument '" + arg + "'");
            }
            String value = args[++i];
            switch (arg) {
                case "--duration" -> duration = duration(value);
                case "--faults" -> faults = faults(value);
                case "--seed" -> seed = number(arg, value);
                case "--workers" -> workers = Math.toIntExact(number(arg, value));
                case "--nodes" -> nodes = Math.toIntExact(number(arg, value));
                case "--out" -> out = Path.of(value);
                case "--node-jar" -> jar = Path.of(value);
                case "--gap" -> gap = range(arg, value);
                case "--fault-time" -> faultTime = range(arg, value);
                case "--weaken" -> weaken = weakenings(value);
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        return new RunOptions(duration, faults, s, workers, beyond, out != null ? out : defaultOut(s), jar, gap[0],
                gap[1], faultTime[0], faultTime[1], weaken, nodes);
    }

    /**
     * The command line that repeats this run with {@code scripts/chaos.sh} (the output directory left at its
     * default unless it was chosen).
     */
    public String command() {
        List<String> words = new ArrayList<>(List.of("scripts/chaos.sh", "--duration", format(duration), "--faults",
                faultsText(), "--seed", Long.toString(seed), "--workers", Integer.toString(workers)));
        if (nodes != MIN_NODES) {
            words.addAll(List.of("--nodes", Integer.toString(nodes)));
        }
        if (beyondTolerance) {
            words.add("--beyond-tolerance");
        }
        if (!weaken.isEmpty()) {
            words.addAll(List.of("--weaken", weakenText()));
        }
        NemesisOptions n = NemesisOptions.defaults(seed);
        if (!minGap.equals(n.minGap()) || !maxGap.equals(n.maxGap())) {
            words.addAll(List.of("--gap", format(minGap) + "-" + format(maxGap)));
        }
        if (!minFault.equals(n.minDuration()) || !maxFault.equals(n.maxDuration())) {
            words.addAll(List.of("--fault-time", format(minFault) + "-" + format(maxFault)));
        }
        return String.join(" ", words);
    }

    /** {@code all}, {@code none} or the kinds as a comma list, as {@code --faults} takes them. */
    public String faultsText() {
        if (faults.isEmpty()) {
            return "none";
        }
        if (faults.size() == FaultKind.values().length) {
            return "all";
        }
        return String.join(",", EnumSet.copyOf(faults).stream().map(FaultKind::cliName).toList());
    }

    /** A duration such as {@code 30m}, {@code 150s}, {@code 1h} or {@code 500ms}. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 30m, 150s, 1h or 500ms");
        }
        long v = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(v);
            case "s" -> Duration.ofSeconds(v);
            case "m" -> Duration.ofMinutes(v);
            default -> Duration.ofHours(v);
        };
    }

    /** The shortest text {@link #duration(String)} reads back as {@code d}. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static Set<FaultKind> faults(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("all")) {
            return EnumSet.allOf(FaultKind.class);
        }
        if (t.equals("none")) {
            return Set.of();
        }
        Set<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
        for (String part : t.split(",")) {
            try {
                kinds.add(FaultKind.fromCliName(part));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("in --faults: " + e.getMessage() + ", or all, or none", e);
            }
        }
        return kinds;
    }

    private static Set<Weakening> weakenings(String text) {
        Set<Weakening> set = EnumSet.noneOf(Weakening.class);
        for (String part : text.split(",")) {
            String name = part.trim();
            set.add(Arrays.stream(Weakening.values()).filter(w -> w.cliName().equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown weakening '" + name + "' in --weaken; "
                            + "the known ones are " + Arrays.stream(Weakening.values()).map(Weakening::cliName)
                            .toList())));
        }
        return set;
    }

    private static long number(String option, String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, not '" + text + "'", e);
        }
    }

    private static Duration[] range(String option, String text) {
        String[] parts = text.split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException(option + " takes MIN-MAX, e.g. 3s-8s, not '" + text + "'");
        }
        return new Duration[] {duration(parts[0]), duration(parts[1])};
    }
}
