package io.predastore.bench.scale;

import io.predastore.node.bench.ByteSizes;
import io.predastore.protocol.config.TuningConfig;
import io.predastore.protocol.ring.RingConfig;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Simulates clusters of tens to thousands of members with the product's real placement ring and record encoders,
 * and prints Markdown tables: balance of shards over members, what one member joining or leaving moves, how long
 * a lost member's repair or a join's copying takes at a given pace, and what the metadata of 10<sup>6</sup> to
 * 10<sup>9</sup> objects weighs in a replica and in the Raft log. No processes, no network: a placement depends on
 * an object only through its partition ({@link PlacementTable}).
 *
 * <pre>
 * java -Xmx2g -cp benchmarks/target/benchmarks.jar io.predastore.bench.scale.ScaleSimulator [options]
 * </pre>
 *
 * Exit status 0, or 2 on bad options. Single-threaded.
 */
@Command(name = "scale-simulator", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Balance, movement, repair time and metadata size of large clusters, computed with the "
                + "product's placement ring and record encoders (no processes, no network)."})
public final class ScaleSimulator implements Callable<Integer> {

    /** The parts of the report. */
    enum Section { SPREAD, BALANCE, MOVEMENT, REPAIR, METADATA, COST }

    @Option(names = "--members", split = ",", defaultValue = "10,30,100,300,1000",
            description = "Cluster sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> members;

    @Option(names = "--objects", split = ",", defaultValue = "1e6,1e7,1e8,1e9", converter = CountConverter.class,
            description = "Object counts (default: ${DEFAULT-VALUE}).")
    List<Long> objects;

    @Option(names = "--data", defaultValue = "3", description = "Data shards per object (default: ${DEFAULT-VALUE}).")
    int data;

    @Option(names = "--parity", defaultValue = "2",
            description = "Parity shards per object (default: ${DEFAULT-VALUE}).")
    int parity;

    @Option(names = "--partitions", split = ",", defaultValue = "" + RingConfig.DEFAULT_PARTITION_COUNT,
            description = "Ring partition counts to compare; the first is used for repair times "
                    + "(default: ${DEFAULT-VALUE}, the product's).")
    List<Integer> partitions;

    @Option(names = "--virtual-nodes", defaultValue = "" + RingConfig.DEFAULT_REPLICATION_FACTOR,
            description = "Virtual nodes per member (default: ${DEFAULT-VALUE}, the product's).")
    int virtualNodes;

    @Option(names = "--load-factor", defaultValue = "" + RingConfig.DEFAULT_LOAD_FACTOR,
            description = "Bounded-load factor (default: ${DEFAULT-VALUE}, the product's).")
    double loadFactor;

    @Option(names = "--changes", defaultValue = "5",
            description = "Members added, and members removed, one at a time for the join and leave figures "
                    + "(default: ${DEFAULT-VALUE}).")
    int changes;

    @Option(names = "--sample", defaultValue = "1000000", converter = CountConverter.class,
            description = "Real object keys hashed to show the actual spread; 0 skips it (default: ${DEFAULT-VALUE}).")
    long sample;

    @Option(names = "--object-size", defaultValue = "1MiB", converter = SizeConverter.class,
            description = "Average object size (default: ${DEFAULT-VALUE}).")
    long objectSize;

    @Option(names = "--pace", converter = SizeConverter.class,
            description = "Repair or copy pace in bytes per second (default: the product's "
                    + "tuning.repair_bytes_per_second, ${DEFAULT-VALUE}).")
    long pace = TuningConfig.DEFAULTS.repairBytesPerSecond();

    @Option(names = "--put-rates", split = ",", defaultValue = "1000,10000,100000", converter = CountConverter.class,
            description = "PUT rates for the Raft log figures (default: ${DEFAULT-VALUE}).")
    List<Long> putRates;

    @Option(names = "--group", defaultValue = "5",
            description = "PUTs sharing one Raft entry under load (group commit; default: ${DEFAULT-VALUE}, "
                    + "measured at 16 concurrent 4 KiB PUTs, docs/performance.md).")
    int group;

    @Option(names = "--cost-partitions", split = ",", defaultValue = "271,4093,65521,1048573",
            description = "Partition counts for the ring build cost, at the largest member count "
                    + "(default: ${DEFAULT-VALUE}).")
    List<Integer> costPartitions;

    @Option(names = "--sections", split = ",", defaultValue = "spread,balance,movement,repair,metadata,cost",
            description = "Parts to print: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    EnumSet<Section> sections;

    @Spec
    CommandSpec spec;

    private final PrintStream out;

    ScaleSimulator(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.out).execute(args));
    }

    static CommandLine commandLine(PrintStream out) {
        return new CommandLine(new ScaleSimulator(out)).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public Integer call() {
        int width = data + parity;
        check(width);
        long started = System.nanoTime();
        out.printf("# Scale simulation: RS %d+%d, %d virtual nodes per member, load factor %s, members %s,"
                + " partitions %s%n%n", data, parity, virtualNodes, loadFactor, members, partitions);
        Map<Integer, Map<Integer, Scenario>> byPartitions = new LinkedHashMap<>();
        if (sections.contains(Section.BALANCE) || sections.contains(Section.MOVEMENT)
                || sections.contains(Section.REPAIR)) {
            for (int p : partitions) {
                Map<Integer, Scenario> byMembers = new LinkedHashMap<>();
                for (int n : members) {
                    byMembers.put(n, Scenario.of(config(p), n, width, changes));
                }
                byPartitions.put(p, byMembers);
            }
        }
        Report report = new Report(out, data, parity, objects, objectSize, pace);
        if (sections.contains(Section.SPREAD) && sample > 0) {
            report.spread(partitions.stream().map(this::config).toList(), sample);
        }
        if (sections.contains(Section.BALANCE)) {
            report.balance(byPartitions, sample);
        }
        if (sections.contains(Section.MOVEMENT)) {
            report.movement(byPartitions);
        }
        if (sections.contains(Section.REPAIR)) {
            report.repair(byPartitions.get(partitions.get(0)));
        }
        if (sections.contains(Section.METADATA)) {
            report.metadata(putRates, group, members.stream().mapToInt(Integer::intValue).max().orElse(1));
        }
        if (sections.contains(Section.COST)) {
            RingCost.print(out, members.stream().mapToInt(Integer::intValue).max().orElse(1), costPartitions, width,
                    virtualNodes, loadFactor);
        }
        out.printf("(simulated in %.1f s)%n", (System.nanoTime() - started) / 1e9);
        return 0;
    }

    /** Refuses options the simulation cannot run with, naming the option and what to give instead. */
    private void check(int width) {
        if (data < 1 || parity < 0 || width > 255) {
            throw new ParameterException(spec.commandLine(), "--data must be at least 1 and --parity at least 0, with"
                    + " at most 255 shards in all; got " + data + " and " + parity);
        }
        for (int n : members) {
            if (n <= width) {
                throw new ParameterException(spec.commandLine(), "--members " + n + " is too few for RS " + data + "+"
                        + parity + ": a member must be able to leave with " + width + " still placing every shard;"
                        + " give at least " + (width + 1));
            }
        }
        for (int p : partitions) {
            if (p < 1) {
                throw new ParameterException(spec.commandLine(), "--partitions must be positive, got " + p);
            }
        }
        if (objectSize < 0 || pace <= 0 || group < 1 || changes < 1) {
            throw new ParameterException(spec.commandLine(), "--object-size must not be negative, and --pace, --group"
                    + " and --changes must be positive; got " + objectSize + ", " + pace + ", " + group + ", "
                    + changes);
        }
        try {
            new RingConfig(1, virtualNodes, loadFactor);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--virtual-nodes or --load-factor: " + e.getMessage());
        }
    }

    private RingConfig config(int partitionCount) {
        return new RingConfig(partitionCount, virtualNodes, loadFactor);
    }

    /** Counts such as {@code 1000000}, {@code 1e9} or {@code 10^9}. */
    static final class CountConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim();
            int caret = v.indexOf('^');
            double count = caret > 0
                    ? Math.pow(Double.parseDouble(v.substring(0, caret)), Double.parseDouble(v.substring(caret + 1)))
                    : Double.parseDouble(v);
            if (!(count >= 0) || count > Long.MAX_VALUE || count != Math.rint(count)) {
                throw new CommandLine.TypeConversionException("not a whole, non-negative count: " + value);
            }
            return (long) count;
        }
    }

    /** Byte sizes such as {@code 1MiB} or {@code 67108864}, as the node's {@code bench} command reads them. */
    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return ByteSizes.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
