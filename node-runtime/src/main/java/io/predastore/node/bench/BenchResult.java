package io.predastore.node.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The measured outcome of the timed phase.
 *
 * @param ops successful operations that started in the timed phase
 * @param errors failed operations (non-2xx or I/O errors) that started in the timed phase
 * @param bytes payload bytes sent (PUT) and received (GET) by those operations
 * @param elapsedNanos from the start of the timed phase to the end of its last operation
 * @param processCpuNanos CPU time of the whole client process over the timed phase, or -1 if unavailable
 * @param workerCpuNanos CPU time of the worker threads over the timed phase, or -1 if unavailable
 * @param latencyMicros latencies of the successful operations
 * @param byKind per-request-kind latencies (for mixed), in insertion order
 * @param errorSamples the first few error descriptions
 */
public record BenchResult(
        BenchConfig config,
        long ops,
        long errors,
        long bytes,
        long elapsedNanos,
        long processCpuNanos,
        long workerCpuNanos,
        LatencyHistogram latencyMicros,
        Map<String, LatencyHistogram> byKind,
        List<String> errorSamples) {

    public double seconds() {
        return elapsedNanos / 1e9;
    }

    public double opsPerSecond() {
        return elapsedNanos == 0 ? 0 : ops / seconds();
    }

    public double mibPerSecond() {
        return elapsedNanos == 0 ? 0 : bytes / (1024.0 * 1024.0) / seconds();
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    /** Process CPU milliseconds per operation (successful or not), or -1. */
    public double cpuMillisPerOp() {
        long total = ops + errors;
        return processCpuNanos < 0 || total == 0 ? -1 : processCpuNanos / 1e6 / total;
    }

    /** Prints the human summary and the final {@code RESULT} line. */
    public void print(PrintWriter out) {
        BenchConfig c = config;
        out.printf(Locale.ROOT, "%s %s, concurrency %d, %.1f s timed (after %.1f s warm-up)%n", c.op(),
                ByteSizes.format(c.size()), c.concurrency(), seconds(), c.warmup().toMillis() / 1000.0);
        out.printf(Locale.ROOT, "  operations   %d ok, %d errors%n", ops, errors);
        out.printf(Locale.ROOT, "  throughput   %.1f ops/s, %.2f MiB/s%n", opsPerSecond(), mibPerSecond());
        printLatency(out, "  latency ms  ", latencyMicros);
        if (byKind.size() > 1) {
            for (Map.Entry<String, LatencyHistogram> e : byKind.entrySet()) {
                printLatency(out, String.format(Locale.ROOT, "    %-10s", e.getKey()), e.getValue());
            }
        }
        if (processCpuNanos >= 0) {
            double cores = elapsedNanos == 0 ? 0 : (double) processCpuNanos / elapsedNanos;
            out.printf(Locale.ROOT, "  client CPU   %.3f ms/op (process, %.2f cores busy)", cpuMillisPerOp(), cores);
            if (workerCpuNanos >= 0 && ops + errors > 0) {
                out.printf(Locale.ROOT, ", %.3f ms/op in worker threads", workerCpuNanos / 1e6 / (ops + errors));
            }
            out.println();
        }
        if (!errorSamples.isEmpty()) {
            out.println("  first errors:");
            for (String s : errorSamples) {
                out.println("    " + s);
            }
        }
        out.println(resultLine());
        out.flush();
    }

    private static void printLatency(PrintWriter out, String label, LatencyHistogram h) {
        out.printf(Locale.ROOT, "%s p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  (mean %.2f, n=%d)%n", label,
                ms(h.percentile(50)), ms(h.percentile(90)), ms(h.percentile(99)), ms(h.max()), h.mean() / 1000.0,
                h.count());
    }

    /** The machine-readable line: {@code RESULT key=value ...}. */
    public String resultLine() {
        return String.format(Locale.ROOT,
                "RESULT op=%s size=%d concurrency=%d ops=%d ops_per_s=%.1f mib_per_s=%.2f p50_ms=%.3f p90_ms=%.3f "
                        + "p99_ms=%.3f max_ms=%.3f errors=%d duration_s=%.2f client_cpu_ms_per_op=%.4f",
                config.op(), config.size(), config.concurrency(), ops, opsPerSecond(), mibPerSecond(),
                ms(latencyMicros.percentile(50)), ms(latencyMicros.percentile(90)), ms(latencyMicros.percentile(99)),
                ms(latencyMicros.max()), errors, seconds(), cpuMillisPerOp());
    }
}
