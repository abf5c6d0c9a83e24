package io.predastore.app.service;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Reads what a user types as a node's admin endpoint: {@code host:port} (HTTP, or HTTPS when the user gave a CA
 * certificate), or an {@code http(s)://host:port} URL.
 */
public final class AdminEndpoint {
    private AdminEndpoint() {
    }

    /**
     * The admin base URI for {@code text}, e.g. {@code 10.0.0.5:9100} → {@code http://10.0.0.5:9100}; IPv6 in
     * brackets ({@code [::1]:9100}).
     *
     * @throws IllegalArgumentException with a message to show the user if the text is not a usable endpoint
     */
    public static URI parse(String text) {
        return parse(text, false);
    }

    /**
     * As {@link #parse(String)}, with {@code https://} assumed for text without a scheme when {@code httpsByDefault}.
     *
     * @throws IllegalArgumentException with a message to show the user if the text is not a usable endpoint
     */
    public static URI parse(String text, boolean httpsByDefault) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("Enter the admin endpoint of a node, e.g. 127.0.0.1:9100");
        }
        String withScheme = t.contains("://") ? t : (httpsByDefault ? "https://" : "http://") + t;
        URI uri;
        try {
            uri = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + t + "' is not host:port");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("The admin endpoint must be http or https, not " + uri.getScheme());
        }
        if (uri.getHost() == null || uri.getUserInfo() != null) {
            throw new IllegalArgumentException("'" + t + "' is not host:port");
        }
        if (uri.getPort() == -1) {
            throw new IllegalArgumentException("Add the admin port to '" + t + "', e.g. " + uri.getHost() + ":9100");
        }
        if (uri.getPort() < 1 || uri.getPort() > 65535) {
            throw new IllegalArgumentException("The port must be 1 to 65535, not " + uri.getPort());
        }
        if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("Give only host:port, without a path: '" + t + "'");
        }
        return URI.create(scheme + "://" + uri.getRawAuthority());
    }

    /** {@code host:port} of an admin base URI, as shown and remembered. */
    public static String display(URI uri) {
        return uri.getScheme().equals("http") ? uri.getRawAuthority() : uri.toString();
    }
}
