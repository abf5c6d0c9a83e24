package io.predastore.node.auth;

import io.predastore.client.sigv4.SigV4;
import io.predastore.protocol.http.RequestTarget;

/**
 * What the verifier canonicalises of a request's target, for tests in other packages that compare it with what
 * the router acts on. Calls the same {@link SigV4} functions {@link SigV4Verifier} calls.
 */
public final class CanonicalTarget {
    private CanonicalTarget() {
    }

    /** The canonical URI the verifier signs for {@code target}. */
    public static String uri(RequestTarget target) {
        return SigV4.canonicalUri(target.path());
    }

    /** The canonical query string the verifier signs for {@code target} (header-signed: nothing excluded). */
    public static String query(RequestTarget target) {
        return SigV4.canonicalQuery(target.params(), name -> false);
    }

    /** SigV4's encoding of text: UTF-8 bytes, everything but A-Za-z0-9-._~ (and '/' if kept) as upper-case %XX. */
    public static String encode(String text, boolean keepSlash) {
        return SigV4.uriEncode(text, keepSlash);
    }
}
