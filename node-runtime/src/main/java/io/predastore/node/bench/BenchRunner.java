package io.predastore.node.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Runs one benchmark: makes sure the bucket exists, prepares the object pool, runs the workers through the
 * warm-up and the timed phase, deletes what it wrote and returns the measurements of the timed phase.
 */
public final class BenchRunner {
    private static final int MAX_ERROR_SAMPLES = 5;
    private static final int LIST_MAX_KEYS = 100;
    private static final int MAX_PAYLOAD_BUFFER = 16 << 20;
    private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");

    private final BenchConfig config;
    private final PrintWriter out;
    private final ByteBuffer payload;
    /** The TLS context of an https run, null for HTTP; set by {@link #run()} before any worker starts. */
    private volatile SSLContext tls;
    private final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
    private final AtomicInteger errorSampleCount = new AtomicInteger();
    private Worker[] finishedWorkers;

    /** The endpoint could not be reached or refused the setup requests. */
    public static final class BenchFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        BenchFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public BenchRunner(BenchConfig config, PrintWriter out) {
        this.config = config;
        this.out = out;
        byte[] random = new byte[(int) Math.max(1, Math.min(config.size(), MAX_PAYLOAD_BUFFER))];
        new SplittableRandom(0x5eed).nextBytes(random);
        this.payload = ByteBuffer.allocateDirect(random.length).put(random).flip().asReadOnlyBuffer();
    }

    public BenchResult run() throws BenchFailedException, InterruptedException {
        try {
            tls = HttpsTrust.of(config);
        } catch (IOException e) {
            throw new BenchFailedException("cannot set up TLS: " + e.getMessage() + " (check --ca-cert)", e);
        }
        ensureBucket();
        String poolPrefix = config.prefix() + "/pool/";
        if (config.op().needsPool()) {
            preparePool(poolPrefix);
        }
        Worker[] workers = new Worker[config.concurrency()];
        long now = System.nanoTime();
        long measureStart = now + config.warmup().toNanos();
        long measureEnd = measureStart + config.duration().toNanos();
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i, poolPrefix, measureStart, measureEnd);
        }
        out.printf(Locale.ROOT, "running %s for %.1f s (+%.1f s warm-up) with %d workers...%n", config.op(),
                config.duration().toMillis() / 1000.0, config.warmup().toMillis() / 1000.0, workers.length);
        out.flush();
        List<Thread> threads = new ArrayList<>();
        for (Worker w : workers) {
            Thread t = new Thread(w, "bench-worker-" + w.id);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        com.sun.management.OperatingSystemMXBean os = processBean();
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        boolean threadCpu = threadBean.isThreadCpuTimeSupported() && threadBean.isThreadCpuTimeEnabled();
        sleepUntil(measureStart);
        long cpuStart = os == null ? -1 : os.getProcessCpuTime();
        long workerCpuStart = threadCpu ? workerCpu(threadBean, threads) : -1;
        sleepUntil(measureEnd);
        long cpuEnd = os == null ? -1 : os.getProcessCpuTime();
        long workerCpuEnd = threadCpu ? workerCpu(threadBean, threads) : -1;
        for (Thread t : threads) {
            t.join();
        }
        long ops = 0;
        long errors = 0;
        long bytes = 0;
        long lastEnd = measureEnd;
        LatencyHistogram all = new LatencyHistogram();
        Map<String, LatencyHistogram> byKind = new LinkedHashMap<>();
        for (Worker w : workers) {
            ops += w.ops;
            errors += w.errors;
            bytes += w.bytes;
            lastEnd = Math.max(lastEnd, w.lastEnd);
            for (int k = 0; k < w.histograms.length; k++) {
                all.merge(w.histograms[k]);
                if (w.histograms[k].count() > 0 || !config.op().equals(Operation.mixed)) {
                    byKind.computeIfAbsent(Worker.KINDS[k], x -> new LatencyHistogram()).merge(w.histograms[k]);
                }
            }
        }
        byKind.values().removeIf(h -> h.count() == 0);
        long cpu = os == null || cpuStart < 0 || cpuEnd < 0 ? -1 : cpuEnd - cpuStart;
        long workerCpuNanos = workerCpuStart < 0 || workerCpuEnd < 0 ? -1 : workerCpuEnd - workerCpuStart;
        BenchResult result = new BenchResult(config, ops, errors, bytes, lastEnd - measureStart, cpu,
                workerCpuNanos, all, byKind, List.copyOf(errorSamples));
        this.finishedWorkers = workers;
        return result;
    }

    /** Deletes the objects the last {@link #run} wrote, if the configuration asks for it. */
    public void cleanup() throws InterruptedException {
        if (config.cleanup() && finishedWorkers != null) {
            cleanup(finishedWorkers, config.prefix() + "/pool/");
            finishedWorkers = null;
        }
    }

    private static com.sun.management.OperatingSystemMXBean processBean() {
        java.lang.management.OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        return bean instanceof com.sun.management.OperatingSystemMXBean sun ? sun : null;
    }

    private static long workerCpu(ThreadMXBean bean, List<Thread> threads) {
        long total = 0;
        for (Thread t : threads) {
            long n = bean.getThreadCpuTime(t.getId());
            if (n > 0) {
                total += n;
            }
        }
        return total;
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, Math.min(100, left / 1_000_000)));
        }
    }

    private void ensureBucket() throws BenchFailedException {
        try (S3Worker client = new S3Worker(config, tls)) {
            HttpConnection.Response r = client.headBucket();
            if (r.status == 200) {
                return;
            }
            if (r.status == 403 || r.status == 400) {
                throw new BenchFailedException("the endpoint refused HEAD bucket '" + config.bucket() + "' with HTTP "
                        + r.status + " (check --access-key, --secret-key and --region)", null);
            }
            r = client.createBucket();
            if (r.status / 100 == 2 || "BucketAlreadyOwnedByYou".equals(errorCode(r.errorBody))) {
                out.println("created bucket " + config.bucket());
                return;
            }
            throw new BenchFailedException("cannot create bucket '" + config.bucket() + "': HTTP " + r.status + " "
                    + errorCode(r.errorBody), null);
        } catch (ConnectException | UnknownHostException e) {
            throw new BenchFailedException("cannot connect to " + config.hostHeader() + ": " + e.getMessage(), e);
        } catch (SSLException e) {
            throw new BenchFailedException("TLS with " + config.hostHeader() + " failed: " + e.getMessage()
                    + (config.caCertificate() == null ? " (a private CA? give its certificate with --ca-cert)"
                            : " (is --ca-cert the CA of this endpoint, and the host name in its certificate?)"), e);
        } catch (IOException e) {
            throw new BenchFailedException("the endpoint " + config.hostHeader() + " failed: " + e, e);
        }
    }

    private void preparePool(String poolPrefix) throws BenchFailedException, InterruptedException {
        out.printf(Locale.ROOT, "preparing %d objects of %s...%n", config.objects(), ByteSizes.format(config.size()));
        out.flush();
        AtomicInteger next = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        runParallel(() -> {
            try (S3Worker client = new S3Worker(config, tls)) {
                int n;
                while ((n = next.getAndIncrement()) < config.objects()) {
                    try {
                        HttpConnection.Response r = client.put(poolPrefix + n, payload, config.size());
                        if (r.status / 100 != 2) {
                            failures.incrementAndGet();
                            noteError("PUT " + poolPrefix + n, r);
                        }
                    } catch (IOException e) {
                        failures.incrementAndGet();
                        noteError("PUT " + poolPrefix + n, e);
                    }
                }
            }
        });
        if (failures.get() > 0) {
            throw new BenchFailedException(failures.get() + " of " + config.objects()
                    + " objects could not be prepared; first errors: " + List.copyOf(errorSamples), null);
        }
        out.printf(Locale.ROOT, "prepared in %.1f s%n", (System.nanoTime() - start) / 1e9);
        errorSamples.clear();
        errorSampleCount.set(0);
    }

    private void cleanup(Worker[] workers, String poolPrefix) throws InterruptedException {
        List<String> keys = new ArrayList<>();
        for (Worker w : workers) {
            for (long n = 0; n < w.written; n++) {
                keys.add(w.putPrefix + n);
            }
        }
        if (config.op().needsPool()) {
            for (int n = 0; n < config.objects(); n++) {
                keys.add(poolPrefix + n);
            }
        }
        AtomicInteger next = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        runParallel(() -> {
            try (S3Worker client = new S3Worker(config, tls)) {
                int i;
                while ((i = next.getAndIncrement()) < keys.size()) {
                    try {
                        if (client.delete(keys.get(i)).status / 100 != 2) {
                            failures.incrementAndGet();
                        }
                    } catch (IOException e) {
                        failures.incrementAndGet();
                    }
                }
            }
        });
        out.printf(Locale.ROOT, "deleted %d objects%s%n", keys.size() - failures.get(),
                failures.get() == 0 ? "" : " (" + failures.get() + " deletes failed)");
    }

    private void runParallel(Runnable task) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < config.concurrency(); i++) {
            Thread t = new Thread(task, "bench-setup-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void noteError(String what, HttpConnection.Response r) {
        if (errorSampleCount.getAndIncrement() < MAX_ERROR_SAMPLES) {
            String code = errorCode(r.errorBody);
            errorSamples.add(what + " -> HTTP " + r.status + (code.isEmpty() ? "" : " " + code));
        }
    }

    private void noteError(String what, Exception e) {
        if (errorSampleCount.getAndIncrement() < MAX_ERROR_SAMPLES) {
            errorSamples.add(what + " -> " + e);
        }
    }

    static String errorCode(byte[] body) {
        if (body == null) {
            return "";
        }
        Matcher m = CODE.matcher(new String(body, StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : "";
    }

    /** One worker thread's loop and its private counters, read after the thread ended. */
    private final class Worker implements Runnable {
        static final String[] KINDS = {"GET", "PUT", "LIST"};
        private static final int GET = 0;
        private static final int PUT = 1;
        private static final int LIST = 2;

        final int id;
        final String putPrefix;
        final String poolPrefix;
        final long measureStart;
        final long measureEnd;
        final LatencyHistogram[] histograms = {new LatencyHistogram(), new LatencyHistogram(),
                new LatencyHistogram()};
        final SplittableRandom random;
        long ops;
        long errors;
        long bytes;
        long lastEnd;
        long written;

        Worker(int id, String poolPrefix, long measureStart, long measureEnd) {
            this.id = id;
            this.putPrefix = config.prefix() + "/w" + id + "/";
            this.poolPrefix = poolPrefix;
            this.measureStart = measureStart;
            this.measureEnd = measureEnd;
            this.random = new SplittableRandom(id * 0x9E3779B97F4A7C15L + System.nanoTime());
        }

        private int pick() {
            return switch (config.op()) {
                case put -> PUT;
                case get -> GET;
                case list -> LIST;
                case mixed -> {
                    int r = random.nextInt(100);
                    yield r < 50 ? GET : r < 80 ? PUT : LIST;
                }
            };
        }

        @Override
        public void run() {
            try (S3Worker client = new S3Worker(config, tls)) {
                while (true) {
                    long start = System.nanoTime();
                    if (start - measureEnd >= 0) {
                        return;
                    }
                    int kind = pick();
                    String key = null;
                    HttpConnection.Response r = null;
                    IOException failure = null;
                    try {
                        switch (kind) {
                            case PUT -> {
                                key = config.op() == Operation.put ? putPrefix + written
                                        : poolPrefix + random.nextInt(config.objects());
                                r = client.put(key, payload, config.size());
                                if (config.op() == Operation.put) {
                                    written++;
                                }
                            }
                            case GET -> {
                                key = poolPrefix + random.nextInt(config.objects());
                                r = client.get(key);
                            }
                            default -> {
                                key = "?list-type=2&prefix=" + poolPrefix;
                                r = client.list(poolPrefix, LIST_MAX_KEYS);
                            }
                        }
                    } catch (IOException e) {
                        failure = e;
                    }
                    long end = System.nanoTime();
                    boolean ok = failure == null && r.status / 100 == 2;
                    if (!ok) {
                        String what = KINDS[kind] + " " + key;
                        if (failure != null) {
                            noteError(what, failure);
                        } else {
                            noteError(what, r);
                        }
                    }
                    if (start - measureStart < 0) {
                        continue;
                    }
                    lastEnd = end;
                    if (ok) {
                        ops++;
                        histograms[kind].record((end - start) / 1000);
                        bytes += kind == PUT ? config.size() : kind == GET ? r.bodyBytes : 0;
                    } else {
                        errors++;
                    }
                }
            }
        }
    }
}
