package io.predastore.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke test with the AWS CLI (Debian's {@code awscli}, installed by {@code .ci/run}): bucket and object
 * commands, and a 40 MiB multipart copy, against a started node (and, as {@link AwsCliClusterIT}, against the
 * shared cluster with each command sent to a randomly chosen node).
 */
class AwsCliIT extends SharedNode {
    @TempDir
    Path work;

    static String awsBinary() {
        // Prefer the Debian package: an aws found earlier on PATH may be a different (v1) install.
        if (Files.isExecutable(Path.of("/usr/bin/aws"))) {
            return "/usr/bin/aws";
        }
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        Assumptions.assumeFalse(!ci, "the AWS CLI is not installed (apt-get install awscli)");
        throw new IllegalStateException("CI must install the AWS CLI (apt-get install awscli)");
    }

    record Result(int exit, String out) {
    }

    Result aws(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(awsBinary(), "--endpoint-url", endpoint().toString(),
                "--no-progress"));
        if (args[0].equals("s3api")) {
            cmd.remove("--no-progress");
        }
        cmd.addAll(List.of(args));
        if (args[0].equals("s3") && !List.of("cp", "mv", "sync").contains(args[1])) {
            cmd.remove("--no-progress");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", NodeProcess.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", NodeProcess.SECRET_KEY);
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_CONFIG_FILE", work.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("no-credentials").toString());
        env.put("AWS_PAGER", "");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("aws " + String.join(" ", args) + " timed out");
        }
        return new Result(p.exitValue(), out);
    }

    Result ok(String... args) throws Exception {
        Result r = aws(args);
        assertThat(r.exit()).as("aws %s\n%s", String.join(" ", args), r.out()).isZero();
        return r;
    }

    @Test
    void awsCli_bucketsObjectsAndMultipart_work() throws Exception {
        awsBinary();
        ok("s3", "mb", "s3://cli-bucket");
        Path small = work.resolve("hello.txt");
        Files.writeString(small, "hello from the cli\n");
        ok("s3", "cp", small.toString(), "s3://cli-bucket/docs/hello.txt");

        Path big = work.resolve("big.bin");
        byte[] data = new byte[40 * 1024 * 1024];
        new Random(3).nextBytes(data);
        Files.write(big, data);
        ok("s3", "cp", big.toString(), "s3://cli-bucket/big/big.bin");
        String head = ok("s3api", "head-object", "--bucket", "cli-bucket", "--key", "big/big.bin").out();
        assertThat(head).contains("\"ContentLength\": 41943040").containsPattern("-\\d+\\\\\"");

        Path back = work.resolve("back.bin");
        ok("s3", "cp", "s3://cli-bucket/big/big.bin", back.toString());
        assertThat(Files.readAllBytes(back)).isEqualTo(data);

        String ls = ok("s3", "ls", "s3://cli-bucket/", "--recursive").out();
        assertThat(ls).contains("docs/hello.txt").contains("big/big.bin");
        assertThat(ok("s3", "ls").out()).contains("cli-bucket");

        ok("s3api", "put-object", "--bucket", "cli-bucket", "--key", "api/obj", "--body", small.toString(),
                "--content-type", "text/plain", "--metadata", "origin=cli");
        Path got = work.resolve("got.txt");
        String get = ok("s3api", "get-object", "--bucket", "cli-bucket", "--key", "api/obj",
                got.toString()).out();
        assertThat(get).contains("\"origin\": \"cli\"");
        assertThat(Files.readString(got)).isEqualTo("hello from the cli\n");
        String list = ok("s3api", "list-objects-v2", "--bucket", "cli-bucket", "--prefix", "api/").out();
        assertThat(list).contains("\"Key\": \"api/obj\"");

        ok("s3", "rm", "s3://cli-bucket/docs/hello.txt");
        ok("s3", "rm", "s3://cli-bucket/", "--recursive");
        ok("s3", "rb", "s3://cli-bucket");
        assertThat(ok("s3", "ls").out()).doesNotContain("cli-bucket");
    }
}
