package io.predastore.app.service;

import io.predastore.client.AdminClient;
import io.predastore.client.AdminException;
import io.predastore.client.sigv4.Credentials;
import io.predastore.client.sigv4.SigV4Signer;
import io.predastore.client.tls.ClusterTrust;
import io.predastore.protocol.admin.ClusterMember;
import io.predastore.protocol.admin.ClusterMembers;
import io.predastore.protocol.admin.NodeStatus;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Finds a running cluster from one node's admin endpoint: asks that node who it is and who its cluster members are
 * ({@code /admin/v1/status}, {@code /admin/v1/members}), then checks the S3 credential on a member's S3 endpoint.
 * Blocking; holds no UI types. Every failure is an {@link IOException} whose message says what to do.
 */
public final class ClusterDiscovery {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /**
     * Blocks until the cluster is found and both credentials are accepted. Over HTTPS the first node must present
     * a node certificate of the cluster CA ({@link ClusterAccess#caCertificate()}) naming the host dialed; every
     * later connection to node N accepts only node N's certificate.
     */
    public RemoteCluster discover(URI adminEndpoint, ClusterAccess access) throws IOException {
        String where = AdminEndpoint.display(adminEndpoint);
        ClusterTrust trust = trust(access);
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1);
        if (adminEndpoint.getScheme().equals("https")) {
            if (trust == null) {
                throw new IOException("The admin API at " + where + " is HTTPS: give the cluster's CA certificate "
                        + "(tls/ca.pem in the cluster directory) so the app can tell its nodes from impostors.");
            }
            builder.sslContext(trust.clientContext());
        }
        HttpClient http = builder.build();
        AdminClient admin = new AdminClient(adminEndpoint, new SigV4Signer(new Credentials(access.adminAccessKey(),
                access.adminSecretKey()), access.region(), Clock.systemUTC()), http, TIMEOUT);
        NodeStatus self;
        ClusterMembers members;
        try {
            self = admin.status();
            members = admin.members();
        } catch (AdminException e) {
            throw new IOException(refused(where, e), e);
        } catch (IOException e) {
            throw new IOException(unreachable(where, e), e);
        }
        List<ClusterMember> list = members.members().isEmpty()
                ? List.of(new ClusterMember(self.id(), self.host(), self.ports().s3(), self.ports().admin()))
                : members.members();
        RemoteCluster cluster = new RemoteCluster(adminEndpoint, access, list, trust);
        checkS3(cluster, self);
        return cluster;
    }

    private static ClusterTrust trust(ClusterAccess access) throws IOException {
        if (access.caCertificate() == null) {
            return null;
        }
        try {
            return ClusterTrust.forDiscovery(access.caCertificate());
        } catch (IOException e) {
            throw new IOException("The cluster CA certificate cannot be used: " + e.getMessage(), e);
        }
    }

    private static void checkS3(RemoteCluster cluster, NodeStatus self) throws IOException {
        ClusterMember member = cluster.members().stream().filter(m -> m.id().equals(self.id())).findFirst()
                .orElse(cluster.members().get(0));
        URI s3 = cluster.s3Endpoint(member);
        ClusterAccess a = cluster.access();
        try (SdkObjectStore service = new SdkObjectStore(s3, a.s3AccessKey(), a.s3SecretKey(), a.region(),
                cluster.trustFor(cluster.nodeId(member)))) {
            service.listBuckets();
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            if (e.statusCode() == 403) {
                throw new IOException("The S3 credentials were refused by " + s3.getRawAuthority() + " (" + code
                        + "). Use the cluster's S3 access key and secret, not the admin ones.", e);
            }
            throw new IOException("The S3 endpoint " + s3.getRawAuthority() + " answered " + e.statusCode() + " "
                    + code, e);
        } catch (SdkException e) {
            throw new IOException("Cannot reach the S3 endpoint " + s3 + " of " + member.id() + ": "
                    + e.getMessage() + (hasCause(e, SSLException.class) ? tlsHint() : ""), e);
        }
    }

    /** Why a node could not be read, from the innermost cause (the admin client wraps connection errors). */
    static String unreachable(String where, IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return "The admin API at " + where + " refused or failed the TLS handshake (" + reason(t) + ")."
                        + tlsHint();
            }
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException
                    || t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "Cannot reach the admin API at " + where + " (" + t.getClass().getSimpleName()
                        + "). Check the address and port and that the node runs.";
            }
            if (t instanceof HttpTimeoutException) {
                return "The admin API at " + where + " did not answer within " + TIMEOUT.toSeconds()
                        + " s. Is this the node's admin port?";
            }
        }
        return "The admin API at " + where + " could not be read (" + reason(e) + "). Is this the node's admin port? "
                + "If it serves HTTPS, enter https://host:port and the cluster's CA certificate.";
    }

    private static String tlsHint() {
        return " Check that the CA certificate is the cluster's (tls/ca.pem in the cluster directory) and the address "
                + "is the node's.";
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    static String refused(String where, AdminException e) {
        if (e.status() == 403 || e.status() == 400) {
            return "The admin credentials were refused by " + where + " (" + e.code()
                    + "). Check the admin access key and secret (admin_access_key / admin_secret_key in the "
                    + "cluster file, also printed by cluster up).";
        }
        if (e.status() == 404) {
            return "The node at " + where + " does not list its cluster members (" + e.code()
                    + "); it runs an older version.";
        }
        return "The admin API at " + where + " answered " + e.status() + " " + e.code();
    }

    private static String reason(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
