package io.predastore.node.s3;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * User metadata values ({@code x-amz-meta-*}) in headers, which carry only bytes, as S3 treats them: a value sent as
 * RFC 2047 encoded-words ({@code =?UTF-8?B?...?=} or {@code =?UTF-8?Q?...?=}) is stored decoded, and a stored value
 * with characters outside US-ASCII is answered as one RFC 2047 encoded-word of its UTF-8 bytes
 * ({@code =?UTF-8?B?...?=}), so non-ASCII metadata round-trips without depending on how a client encodes header
 * bytes. A value that is not entirely encoded-words, or names a charset other than UTF-8, ISO-8859-1 or US-ASCII,
 * is stored as sent. Stateless and thread-safe.
 */
final class MetadataValues {
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?\\s]+)\\?([BbQq])\\?([^?\\s]*)\\?=");

    private MetadataValues() {
    }

    /** The value to store for a received header value. */
    static String decode(String value) {
        String v = value.trim();
        if (!v.startsWith("=?") || !v.endsWith("?=")) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        Matcher m = ENCODED_WORD.matcher(v);
        int at = 0;
        while (m.find()) {
            // Only whitespace may separate encoded-words, and it is dropped between them (RFC 2047 §6.2).
            if (!v.substring(at, m.start()).isBlank()) {
                return value;
            }
            String word = word(m.group(1), m.group(2), m.group(3));
            if (word == null) {
                return value;
            }
            out.append(word);
            at = m.end();
        }
        return at == v.length() ? out.toString() : value;
    }

    private static String word(String charsetName, String encoding, String text) {
        Charset charset = switch (charsetName.toUpperCase(Locale.ROOT)) {
            case "UTF-8" -> StandardCharsets.UTF_8;
            case "ISO-8859-1" -> StandardCharsets.ISO_8859_1;
            case "US-ASCII" -> StandardCharsets.US_ASCII;
            default -> null;
        };
        if (charset == null) {
            return null;
        }
        byte[] bytes;
        if (encoding.equalsIgnoreCase("B")) {
            try {
                bytes = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                return null;
            }
        } else {
            bytes = quoted(text);
            if (bytes == null) {
                return null;
            }
        }
        return new String(bytes, charset);
    }

    /** The "Q" encoding: {@code _} is a space, {@code =XX} a byte in hex. */
    private static byte[] quoted(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=') {
                if (i + 2 >= text.length()) {
                    return null;
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c > 0x7E || c < 0x21) {
                return null;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    /** The header value to answer with for a stored value. */
    static String encode(String stored) {
        for (int i = 0; i < stored.length(); i++) {
            char c = stored.charAt(i);
            if (c > 0x7E || c < 0x20 && c != '\t') {
                return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(stored.getBytes(StandardCharsets.UTF_8))
                        + "?=";
            }
        }
        return stored;
    }
}
