package io.predastore.node.s3;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Builds the small XML documents S3 answers with. Hand-written because the JDK's writers do not escape
 * characters that XML 1.0 cannot carry (S3 keys may contain them); such characters are written as numeric
 * references the way S3 does. Not thread-safe; one per response.
 */
final class XmlWriter {
    static final String S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/";

    private final StringBuilder out = new StringBuilder(512);
    private final ArrayDeque<String> open = new ArrayDeque<>();

    XmlWriter() {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }

    /** Opens the root element in the S3 namespace. */
    XmlWriter root(String name) {
        out.append('<').append(name).append(" xmlns=\"").append(S3_NS).append("\">");
        open.push(name);
        return this;
    }

    /** Opens the root element without a namespace (error documents). */
    XmlWriter plainRoot(String name) {
        return start(name);
    }

    XmlWriter start(String name) {
        out.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    /** Opens {@code name} with an {@code xsi:type} attribute, as an ACL grantee is written. */
    XmlWriter startTyped(String name, String xsiType) {
        out.append('<').append(name).append(" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"");
        escape(xsiType);
        out.append("\">");
        open.push(name);
        return this;
    }

    XmlWriter end() {
        out.append("</").append(open.pop()).append('>');
        return this;
    }

    /** Writes {@code <name>text</name>}; nothing when {@code text} is null. */
    XmlWriter element(String name, Object text) {
        if (text == null) {
            return this;
        }
        out.append('<').append(name).append('>');
        escape(text.toString());
        out.append("</").append(name).append('>');
        return this;
    }

    /** Writes text inside the currently open element. */
    XmlWriter elementText(String text) {
        escape(text);
        return this;
    }

    byte[] toBytes() {
        while (!open.isEmpty()) {
            end();
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void escape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t') {
                        out.append("&#x").append(Integer.toHexString(c).toUpperCase()).append(';');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
