package io.predastore.node.auth;

import io.predastore.client.sigv4.Credentials;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Looks up the secret of an access key. */
public interface CredentialStore {
    /** The credentials of {@code accessKey}, or empty if the key is unknown. */
    Optional<Credentials> find(String accessKey);

    /** A fixed store holding {@code credentials}; a repeated access key is refused. */
    static CredentialStore of(Credentials... credentials) {
        Map<String, Credentials> byKey = new HashMap<>();
        for (Credentials c : credentials) {
            if (byKey.putIfAbsent(c.accessKey(), c) != null) {
                throw new IllegalArgumentException("Access key " + c.accessKey() + " is given twice");
            }
        }
        Map<String, Credentials> frozen = Map.copyOf(byKey);
        return accessKey -> Optional.ofNullable(accessKey == null ? null : frozen.get(accessKey));
    }
}
