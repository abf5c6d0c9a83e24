package io.predastore.node.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.predastore.node.faultlog.ClientFaultLog;
import io.predastore.node.http.MalformedRequestException.Problem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The resource a request names, taken apart once (RFC 9112 §3.2 and §3.3): the request-target's path and query,
 * each as sent and decoded, and the host. Everything that acts on a request's resource (the SigV4 verifier, the S3
 * router, the admin routes) reads it from the one {@code RequestTarget} of that request, so what a signature covers
 * is exactly what is acted on; nothing else parses {@link HttpRequest#uri()}.
 *
 * <p>Accepted: origin-form ({@code /path?query}) and absolute-form ({@code http://authority/path?query}, scheme
 * {@code http} or {@code https} in any letter case). Refused with {@link MalformedRequestException}: authority-form,
 * asterisk-form and anything else; characters outside printable ASCII; a fragment ({@code #}); a {@code %} not
 * followed by two hex digits; a path, query name or query value that is not UTF-8 once percent-decoded. In the path
 * {@code +} is a plus and {@code %2F} a slash; in the query {@code +} is a space (form encoding, as SigV4 reads it).
 * An absolute-form authority must equal the Host header, ignoring letter case, since the signature covers the Host
 * header: the two can then never name different hosts (see {@link #of(HttpRequest)}).
 *
 * <p>Immutable and thread-safe.
 */
public final class RequestTarget {
    /** The request-target forms this server serves. */
    public enum Form {
        ORIGIN,
        ABSOLUTE
    }

    /** A query parameter, percent-decoded; one given without {@code =} has the value "". */
    public record Param(String name, String value) {
    }

    private final String target;
    private final Form form;
    private final String authority;
    private final String host;
    private final String rawPath;
    private final String path;
    private final String rawQuery;
    private final List<Param> params;
    private final Map<String, List<String>> parameters;

    private RequestTarget(String target, Form form, String authority, String host, String rawPath, String path,
            String rawQuery, List<Param> params) {
        this.target = target;
        this.form = form;
        this.authority = authority;
        this.host = host;
        this.rawPath = rawPath;
        this.path = path;
        this.rawQuery = rawQuery;
        this.params = params;
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (Param p : params) {
            byName.computeIfAbsent(p.name(), k -> new ArrayList<>(1)).add(p.value());
        }
        byName.replaceAll((k, v) -> List.copyOf(v));
        this.parameters = Collections.unmodifiableMap(byName);
    }

    /**
     * The target of {@code request}: its request-target parsed, and the host it is addressed to, checked.
     *
     * <p>Host rules: at most one Host header, exactly one in HTTP/1.1; its value is {@code host[:port]} (a name, an
     * IPv4 address or a bracketed IPv6 address). An absolute-form target's authority must equal it, ignoring letter
     * case. RFC 9112 lets a server prefer the authority over the Host header; requiring them equal instead keeps one
     * host per request, the one the signature covers and the router reads for virtual-host-style buckets.
     *
     * @throws MalformedRequestException if the request-target or the Host header is malformed, or they disagree
     */
    public static RequestTarget of(HttpRequest request) {
        RequestTarget parsed = parse(request.uri());
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            throw new MalformedRequestException(Problem.HOST, "The request has " + hosts.size() + " Host headers; "
                    + "send exactly one.");
        }
        String host = hosts.isEmpty() ? null : hosts.get(0);
        if (host == null && !HttpVersion.HTTP_1_0.equals(request.protocolVersion())) {
            throw new MalformedRequestException(Problem.HOST, "The request has no Host header; HTTP/1.1 requires "
                    + "one.");
        }
        if (host != null && !validAuthority(host)) {
            throw new MalformedRequestException(Problem.HOST, "The Host header '" + cut(host) + "' is not "
                    + "host[:port].");
        }
        if (parsed.form == Form.ABSOLUTE && (host == null || !host.equalsIgnoreCase(parsed.authority))) {
            throw new MalformedRequestException(Problem.HOST, "The request-target names the host '"
                    + cut(parsed.authority) + "' but the Host header is '" + (host == null ? "" : cut(host))
                    + "'; send the same host in both, or send the request-target in origin-form (/bucket/key).");
        }
        return new RequestTarget(parsed.target, parsed.form, parsed.authority, host, parsed.rawPath, parsed.path,
                parsed.rawQuery, parsed.params);
    }

    /**
     * Parses a request-target alone, without a host (for signers and tests, which have no request head).
     *
     * @throws MalformedRequestException if it is not an origin-form or absolute-form target with a UTF-8 path and
     *     query
     */
    public static RequestTarget parse(String target) {
        if (target == null || target.isEmpty()) {
            throw new MalformedRequestException(Problem.TARGET, "The request-target is empty; send /bucket/key.");
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                throw new MalformedRequestException(Problem.TARGET, "The request-target has the character "
                        + StrictDecoding.hex(c) + " at index " + i + "; percent-encode it as UTF-8 bytes.");
            }
            if (c == '#') {
                throw new MalformedRequestException(Problem.TARGET, "The request-target has a '#' at index " + i
                        + "; a request-target has no fragment, so percent-encode it as %23.");
            }
        }
        Form form;
        String authority = null;
        String rest;
        if (target.charAt(0) == '/') {
            form = Form.ORIGIN;
            rest = target;
        } else {
            int sep = target.indexOf("://");
            String scheme = sep < 0 ? "" : target.substring(0, sep).toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new MalformedRequestException(Problem.TARGET, "The request-target '" + cut(target)
                        + "' is neither origin-form (/bucket/key) nor absolute-form (http://host/bucket/key); "
                        + "authority-form and asterisk-form are not served.");
            }
            int start = sep + 3;
            int end = start;
            while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
                end++;
            }
            authority = target.substring(start, end);
            if (!validAuthority(authority)) {
                throw new MalformedRequestException(Problem.TARGET, "The authority '" + cut(authority) + "' of the "
                        + "request-target is not host[:port] (user information is not allowed).");
            }
            form = Form.ABSOLUTE;
            rest = end == target.length() || target.charAt(end) == '?' ? "/" + target.substring(end)
                    : target.substring(end);
        }
        int q = rest.indexOf('?');
        String rawPath = q < 0 ? rest : rest.substring(0, q);
        String rawQuery = q < 0 ? null : rest.substring(q + 1);
        String path = StrictDecoding.percent(rawPath, false, "the path");
        return new RequestTarget(target, form, authority, null, rawPath, path, rawQuery, parseQuery(rawQuery));
    }

    private static List<Param> parseQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return List.of();
        }
        List<Param> params = new ArrayList<>();
        int start = 0;
        while (start <= rawQuery.length()) {
            int amp = rawQuery.indexOf('&', start);
            int end = amp < 0 ? rawQuery.length() : amp;
            if (end > start) {
                String part = rawQuery.substring(start, end);
                int eq = part.indexOf('=');
                String name = StrictDecoding.percent(eq < 0 ? part : part.substring(0, eq), true,
                        "a query parameter name");
                String value = eq < 0 ? "" : StrictDecoding.percent(part.substring(eq + 1), true,
                        "the value of the query parameter '" + cut(name) + "'");
                params.add(new Param(name, value));
            }
            start = end + 1;
        }
        return List.copyOf(params);
    }

    /**
     * Whether {@code s} is {@code host[:port]}: a registered name (unreserved and sub-delimiter characters, no
     * percent-escapes), an IPv4 address or a bracketed IPv6 address, then optionally ':' and 1 to 5 digits.
     */
    static boolean validAuthority(String s) {
        int hostEnd;
        if (s.startsWith("[")) {
            hostEnd = s.indexOf(']') + 1;
            if (hostEnd < 3) {
                return false;
            }
            for (int i = 1; i < hostEnd - 1; i++) {
                char c = s.charAt(i);
                boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                if (!hex && c != ':' && c != '.') {
                    return false;
                }
            }
        } else {
            hostEnd = 0;
            while (hostEnd < s.length() && s.charAt(hostEnd) != ':') {
                if (!regNameChar(s.charAt(hostEnd))) {
                    return false;
                }
                hostEnd++;
            }
            if (hostEnd == 0) {
                return false;
            }
        }
        if (hostEnd == s.length()) {
            return true;
        }
        String port = s.substring(hostEnd);
        if (port.length() < 2 || port.length() > 6 || port.charAt(0) != ':') {
            return false;
        }
        return port.chars().skip(1).allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean regNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,;=".indexOf(c) >= 0;
    }

    private static String cut(String s) {
        return ClientFaultLog.sanitize(s.length() <= 64 ? s : s.substring(0, 64) + "...");
    }

    /** Origin-form or absolute-form. */
    public Form form() {
        return form;
    }

    /** An absolute-form target's authority as sent ({@code host[:port]}), or null in origin-form. */
    public String authority() {
        return authority;
    }

    /**
     * The host the request is addressed to: the Host header (which an absolute-form authority equals), or null when
     * parsed without a request head or for an HTTP/1.0 request without one.
     */
    public String host() {
        return host;
    }

    /** The path as sent, starting with '/' ("/" for an absolute-form target without a path). */
    public String rawPath() {
        return rawPath;
    }

    /** The path percent-decoded ({@code +} stays a plus, {@code %2F} is a slash): valid UTF-8 by construction. */
    public String path() {
        return path;
    }

    /** The query as sent, without the '?', or null when the target has no '?'. */
    public String rawQuery() {
        return rawQuery;
    }

    /** The query parameters in the order sent, decoded; empty {@code &}-separated parts are skipped. */
    public List<Param> params() {
        return params;
    }

    /** The decoded query parameters by name, names in first-seen order, each name's values in the order sent. */
    public Map<String, List<String>> parameters() {
        return parameters;
    }

    /** The request-target as sent, sanitised and cut for logs. */
    @Override
    public String toString() {
        return ClientFaultLog.sanitize(target);
    }
}
