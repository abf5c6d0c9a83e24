package io.predastore.chaos.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine a run ran on, so that its availability and speed can be read in context. Immutable.
 *
 * @param cores       processors available to the JVM
 * @param cpuModel    the CPU's model name ({@code /proc/cpuinfo}), or {@code unknown}
 * @param loadAverage the 1, 5 and 15 minute load averages ({@code /proc/loadavg}), or the JVM's 1-minute figure
 */
public record Machine(int cores, String cpuModel, String loadAverage) {
    /** The machine now; never throws (what cannot be read says {@code unknown}). */
    public static Machine now() {
        return new Machine(Runtime.getRuntime().availableProcessors(), readCpuModel(), readLoadAverage());
    }

    private static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or not readable: said as unknown below.
        }
        return "unknown";
    }

    private static String readLoadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return one < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f (1 min)", one);
        }
    }
}
