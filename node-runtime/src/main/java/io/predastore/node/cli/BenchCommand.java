package io.predastore.node.cli;

import io.predastore.node.bench.BenchConfig;
import io.predastore.node.bench.BenchResult;
import io.predastore.node.bench.BenchRunner;
import io.predastore.node.bench.ByteSizes;
import io.predastore.node.bench.Durations;
import io.predastore.node.bench.Operation;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Generates S3 load against an endpoint and reports throughput and latency. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate S3 load against an endpoint and report ops/s, MiB/s and latency.",
                "Exit status: 0 on success, 1 if the endpoint is unreachable or every request failed, "
                        + "2 on bad arguments."})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--endpoint", required = true, description = "S3 endpoint, http://host:port or "
            + "https://host:port.")
    String endpoint;

    @Option(names = "--ca-cert", paramLabel = "PEM", description = "With an https endpoint: the CA certificate to "
            + "trust instead of the JDK's trust store, e.g. tls/ca.pem of a cluster. The host name is checked too.")
    Path caCert;

    @Option(names = "--access-key", defaultValue = "${env:AWS_ACCESS_KEY_ID}",
            description = "Access key (default: the environment variable AWS_ACCESS_KEY_ID).")
    String accessKey;

    @Option(names = "--secret-key", defaultValue = "${env:AWS_SECRET_ACCESS_KEY}",
            description = "Secret key (default: the environment variable AWS_SECRET_ACCESS_KEY, which, unlike a "
                    + "command line, other local users cannot read).")
    String secretKey;

    @Option(names = "--region", defaultValue = "us-east-1", description = "Signing region (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--bucket", defaultValue = "bench",
            description = "Bucket to use; created if absent (default: ${DEFAULT-VALUE}).")
    String bucket;

    @Option(names = "--op", defaultValue = "put",
            description = "Operation: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). mixed is 50%% GET, "
                    + "30%% PUT (overwriting pool objects), 20%% ListObjectsV2 max-keys 100.")
    Operation op;

    @Option(names = "--size", defaultValue = "4KiB", converter = SizeConverter.class,
            description = "Object size, e.g. 4KiB, 1MiB, 64MiB (KB/MB are powers of 1000; default: "
                    + "${DEFAULT-VALUE}).")
    long size;

    @Option(names = "--concurrency", defaultValue = "16", description = "Worker threads, one connection each "
            + "(default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
            description = "Length of the timed phase, e.g. 10s, 1m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "2s", converter = DurationConverter.class,
            description = "Untimed load before the timed phase (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--objects", defaultValue = "100",
            description = "Objects prepared before the timed phase for get, mixed and list (default: "
                    + "${DEFAULT-VALUE}).")
    int objects;

    @Option(names = "--timeout", defaultValue = "120s", converter = DurationConverter.class,
            description = "Connect and read timeout per request (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--keep-objects", description = "Do not delete the objects written by this run.")
    boolean keepObjects;

    /** Picocli converter for --size. */
    static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return ByteSizes.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Picocli converter for durations. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    BenchConfig config() {
        URI uri;
        try {
            uri = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw usage("--endpoint '" + endpoint + "' is not a URL: " + e.getMessage());
        }
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        if (!tls && !"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw usage("--endpoint must look like http://host:port or https://host:port, got '" + endpoint + "'");
        }
        if (caCert != null && !tls) {
            throw usage("--ca-cert is for an https endpoint, and " + endpoint + " is http");
        }
        if (caCert != null && !Files.isReadable(caCert)) {
            throw usage("--ca-cert " + caCert + " cannot be read");
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
            throw usage("--endpoint must not have a path, got '" + endpoint + "'");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (accessKey == null || accessKey.isEmpty() || secretKey == null || secretKey.isEmpty()) {
            throw usage("give the key pair with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or --access-key and "
                    + "--secret-key); neither may be empty");
        }
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw usage("--bucket '" + bucket + "' is not a valid bucket name");
        }
        if (concurrency < 1 || concurrency > 4096) {
            throw usage("--concurrency must be 1..4096, got " + concurrency);
        }
        if (size < 0) {
            throw usage("--size must not be negative");
        }
        if ((op == Operation.get || op == Operation.mixed) && size == 0) {
            throw usage("--size must be positive for --op " + op);
        }
        if (duration.isZero() || duration.isNegative()) {
            throw usage("--duration must be positive, got " + duration);
        }
        if (warmup.isNegative()) {
            throw usage("--warmup must not be negative");
        }
        if (timeout.toMillis() < 1) {
            throw usage("--timeout must be at least 1ms");
        }
        if (op != Operation.put && objects < 1) {
            throw usage("--objects must be at least 1 for --op " + op + ", got " + objects);
        }
        String prefix = "bench/" + HexFormat.of().toHexDigits(new SplittableRandom().nextInt());
        return new BenchConfig(host, port, accessKey, secretKey, region, bucket, op, size, concurrency, duration,
                warmup, objects, prefix, !keepObjects, timeout, tls, caCert);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws InterruptedException {
        BenchConfig config = config();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BenchResult result;
        BenchRunner runner = new BenchRunner(config, out);
        try {
            result = runner.run();
        } catch (BenchRunner.BenchFailedException e) {
            out.flush();
            err.println("bench: " + e.getMessage());
            err.flush();
            return 1;
        }
        runner.cleanup();
        result.print(out);
        if (result.ops() == 0) {
            err.println("bench: no request succeeded" + (result.errors() > 0 ? " (" + result.errors() + " errors)" : ""));
            err.flush();
            return 1;
        }
        return 0;
    }
}
