package io.predastore.node.remote;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where to log in over SSH: {@code USER@HOST[:PORT]}, with an IPv6 address in brackets ({@code admin@[fd00::5]:2222}).
 * The host is kept in lower case, as OpenSSH compares host names in {@code known_hosts}.
 *
 * @param user a login name: letters, digits, {@code _ . -}, not starting with {@code -} or {@code .}
 * @param host a host name, an IPv4 address or an IPv6 address (without brackets)
 * @param port 1 to 65535
 */
public record SshTarget(String user, String host, int port) {
    /** The SSH port when none is given. */
    public static final int DEFAULT_PORT = 22;

    private static final String FORM = "USER@HOST[:PORT] (e.g. admin@10.0.0.5, admin@node1.example.com:2222 or "
            + "admin@[fd00::5]:22)";
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");

    public SshTarget {
        if (user == null || !USER.matcher(user).matches()) {
            throw new IllegalArgumentException("'" + user + "' is not a user name to log in as: use letters, digits, "
                    + "'_', '.' and '-', not starting with '-' or '.', at most 32 characters");
        }
        if (host == null) {
            throw new IllegalArgumentException("an SSH target needs a host: " + FORM);
        }
        host = host.toLowerCase(Locale.ROOT);
        checkHost(host);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of " + user + "@" + host + " is not from 1 to 65535");
        }
    }

    /** A target on the default port 22. */
    public SshTarget(String user, String host) {
        this(user, host, DEFAULT_PORT);
    }

    /**
     * Reads {@code USER@HOST[:PORT]}.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code text} and what the form is
     */
    public static SshTarget parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an SSH target is " + FORM + "; got nothing");
        }
        String t = text.trim();
        int at = t.indexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("'" + t + "' names no user: an SSH target is " + FORM);
        }
        if (at == 0) {
            throw new IllegalArgumentException("'" + t + "' has nothing before '@': an SSH target is " + FORM);
        }
        String user = t.substring(0, at);
        String rest = t.substring(at + 1);
        if (rest.indexOf('@') >= 0) {
            throw new IllegalArgumentException("'" + t + "' has more than one '@': an SSH target is " + FORM);
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("'" + t + "' has no host after '@': an SSH target is " + FORM);
        }
        String host;
        String port = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + t + "' opens '[' for an IPv6 address but never closes it: "
                        + "an SSH target is " + FORM);
            }
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException("'" + t + "' has '" + after + "' after the address; only "
                            + ":PORT may follow: an SSH target is " + FORM);
                }
                port = after.substring(1);
            }
        } else {
            int colon = rest.indexOf(':');
            if (colon >= 0 && rest.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException("'" + t + "': an IPv6 address goes in brackets, "
                        + "USER@[ADDRESS]:PORT");
            }
            host = colon < 0 ? rest : rest.substring(0, colon);
            port = colon < 0 ? null : rest.substring(colon + 1);
        }
        int portNumber = DEFAULT_PORT;
        if (port != null) {
            if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw new IllegalArgumentException("the port of '" + t + "' is '" + port
                        + "', not a number from 1 to 65535");
            }
            portNumber = Integer.parseInt(port);
        }
        return new SshTarget(user, host, portNumber);
    }

    /** Whether the host is an IPv6 address. */
    public boolean ipv6() {
        return host.indexOf(':') >= 0;
    }

    /**
     * The name this host has in {@code known_hosts}, as OpenSSH writes it: the host alone on port 22,
     * {@code [host]:port} on any other.
     */
    public String knownHostsName() {
        return port == DEFAULT_PORT ? host : "[" + host + "]:" + port;
    }

    /** The host and port, {@code host:port} or {@code [v6]:port}: what a connection goes to. */
    public String address() {
        return (ipv6() ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@code user@host:port}, IPv6 in brackets; {@link #parse} reads it back. */
    @Override
    public String toString() {
        return user + "@" + address();
    }

    private static void checkHost(String host) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("an SSH target needs a host: " + FORM);
        }
        if (host.indexOf(':') >= 0) {
            if (!IPV6.matcher(host).matches() || !validIpv6(host)) {
                throw new IllegalArgumentException("'" + host + "' is not an IPv6 address");
            }
            return;
        }
        if (IPV4.matcher(host).matches()) {
            for (String octet : host.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException("'" + host + "' is not an IPv4 address: " + octet
                            + " is above 255");
                }
            }
            return;
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.length() > 253 || name.isEmpty()) {
            throw new IllegalArgumentException("'" + host + "' is not a host name: 1 to 253 characters");
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("'" + host + "' is not a host name: each part between dots is 1 "
                        + "to 63 letters, digits or '-', not starting or ending with '-'");
            }
        }
        if (name.matches("[0-9.]+")) {
            throw new IllegalArgumentException("'" + host + "' is not an IPv4 address (four numbers 0 to 255 "
                    + "joined by dots) nor a host name");
        }
    }

    /** An IPv6 literal as the JDK reads one (a literal is never looked up in DNS); zone ids are not taken. */
    private static boolean validIpv6(String host) {
        if (host.startsWith(".")) {
            return false;
        }
        try {
            // Holds a ':' and starts with a hex digit or ':', so the JDK parses it as a literal, never asking DNS.
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
