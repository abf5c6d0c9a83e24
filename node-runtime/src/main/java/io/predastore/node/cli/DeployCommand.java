package io.predastore.node.cli;

import io.predastore.node.bench.ByteSizes;
import io.predastore.node.remote.RemoteHost;
import io.predastore.node.remote.SshTarget;
import io.predastore.node.remote.UploadResult;
import io.predastore.node.supervisor.NodeLaunchSpec;
import io.predastore.node.supervisor.RemoteNodes;
import io.predastore.protocol.config.ClusterConfig;
import io.predastore.protocol.config.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cluster deploy}: per host of the cluster's remote nodes, over one SSH connection, checks that it runs Linux
 * on x86-64 or arm64 with a Java of at least 17, then copies the node jar, the cluster file (rewritten for the
 * remote layout) and, per node there, its certificate, key and cluster secret, plus the CA certificate
 * ({@link RemoteNodes#files}). Every copy is verified and skipped when the host already has the same file.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Copy the node jar and each remote node's files (cluster file, certificates, key, cluster "
                + "secret) to its host over SSH, after checking the host (Linux, Java 17+); files already there "
                + "unchanged are skipped.")
final class DeployCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClusterDirectory cluster;

    @Option(names = "--jar", description = "The node jar to copy (default: the jar running this command).")
    Path jar;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClusterConfig config = cluster.load(err);
        if (config == null) {
            return 1;
        }
        Map<SshTarget, List<NodeConfig>> byHost = RemoteNodes.byHost(config);
        if (byHost.isEmpty()) {
            out.println("No node of " + config.file() + " runs on another machine (none has an ssh login): nothing "
                    + "to deploy.");
            out.flush();
            return 0;
        }
        Path nodeJar;
        try {
            nodeJar = jar != null ? jar : NodeLaunchSpec.runningJar();
        } catch (IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        if (!Files.isRegularFile(nodeJar)) {
            err.println("error: the node jar " + nodeJar + " is not there");
            return 2;
        }
        Path clusterFile;
        try {
            clusterFile = RemoteNodes.stageClusterFile(config);
        } catch (IOException e) {
            err.println("error: cannot write the cluster file for the hosts: " + e.getMessage());
            return 1;
        }
        long start = System.nanoTime();
        long copiedBytes = 0;
        int copied = 0;
        int skipped = 0;
        int failed = 0;
        for (Map.Entry<SshTarget, List<NodeConfig>> entry : byHost.entrySet()) {
            SshTarget target = entry.getKey();
            long hostStart = System.nanoTime();
            try (RemoteHost host = RemoteHost.connect(target, RemoteNodes.settings(config))) {
                RemoteNodes.HostCheck check = RemoteNodes.checkHost(host);
                String problem = check.problem(target);
                if (problem != null) {
                    err.println("error: " + problem);
                    failed++;
                    continue;
                }
                out.println(target + ": " + check.os() + " " + check.arch() + ", " + check.javaVersion() + " ("
                        + check.java() + "), node(s) " + entry.getValue().stream().map(n -> Integer.toString(n.id()))
                        .toList());
                List<UploadResult> results = RemoteNodes.deploy(host,
                        RemoteNodes.files(config, entry.getValue(), nodeJar, clusterFile));
                long hostBytes = 0;
                int hostCopied = 0;
                for (UploadResult r : results) {
                    out.printf("  %-8s %-40s %s%n", r.copied() ? "copied" : "skipped", r.path(),
                            ByteSizes.format(r.size()));
                    if (r.copied()) {
                        hostCopied++;
                        hostBytes += r.size();
                    }
                }
                copied += hostCopied;
                skipped += results.size() - hostCopied;
                copiedBytes += hostBytes;
                out.println("  " + hostCopied + " copied (" + ByteSizes.format(hostBytes) + "), "
                        + (results.size() - hostCopied) + " unchanged, in " + seconds(System.nanoTime() - hostStart));
            } catch (IOException e) {
                err.println("error: " + e.getMessage());
                failed++;
            }
            out.flush();
            err.flush();
        }
        out.println("Deployed to " + (byHost.size() - failed) + " of " + byHost.size() + " host(s): " + copied
                + " file(s) copied, " + copiedBytes + " bytes (" + ByteSizes.format(copiedBytes) + "), " + skipped
                + " unchanged, in " + seconds(System.nanoTime() - start) + ".");
        if (failed == 0) {
            out.println("Start the cluster with: predastore-node cluster up --dir " + cluster.dir);
        }
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
