package io.predastore.node.s3;

import io.predastore.node.error.S3Error;
import io.predastore.node.error.S3Exception;
import io.predastore.protocol.http.StrictDecoding;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads the small XML request bodies (CreateBucketConfiguration, Delete, CompleteMultipartUpload) into a tree of
 * elements. DTDs and external entities are refused outright, so an entity-expansion bomb or an external
 * reference is MalformedXML and nothing is expanded or fetched; depth and element counts are bounded.
 */
final class XmlReader {
    private static final int MAX_DEPTH = 16;
    private static final int MAX_ELEMENTS = 50_000;
    private static final XMLInputFactory FACTORY = newFactory();

    private XmlReader() {
    }

    /** An element: its local name, text content (trimmed) and child elements. */
    record Node(String name, String text, List<Node> children) {
        /** The first child with this local name, or null. */
        Node child(String childName) {
            for (Node n : children) {
                if (n.name.equals(childName)) {
                    return n;
                }
            }
            return null;
        }

        /** The text of the first child with this name, or null. */
        String childText(String childName) {
            Node n = child(childName);
            return n == null ? null : n.text;
        }

        List<Node> all(String childName) {
            List<Node> out = new ArrayList<>();
            for (Node n : children) {
                if (n.name.equals(childName)) {
                    out.add(n);
                }
            }
            return out;
        }
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        return f;
    }

    /**
     * Parses a document; anything not well-formed, not UTF-8, or with a DTD, is MalformedXML. The body is decoded
     * here, strictly, rather than by the parser: S3 bodies are UTF-8 whatever the XML declaration says, a key that is
     * not UTF-8 must be refused rather than become U+FFFD, and the JDK parser prints a line to stderr for every
     * undecodable body it is given, which a client could repeat without bound.
     */
    static Node parse(byte[] body) {
        String text;
        try {
            text = StrictDecoding.utf8(body);
        } catch (CharacterCodingException e) {
            throw malformed("the body is not UTF-8");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        int elements = 0;
        try {
            XMLStreamReader r = FACTORY.createXMLStreamReader(new StringReader(text));
            try {
                ArrayList<Builder> stack = new ArrayList<>();
                Node root = null;
                while (r.hasNext()) {
                    int ev = r.next();
                    switch (ev) {
                        case XMLStreamConstants.DTD, XMLStreamConstants.ENTITY_REFERENCE ->
                                throw malformed("document type declarations and entities are not allowed");
                        case XMLStreamConstants.START_ELEMENT -> {
                            if (++elements > MAX_ELEMENTS || stack.size() >= MAX_DEPTH) {
                                throw malformed("the document has too many elements or is nested too deeply");
                            }
                            stack.add(new Builder(r.getLocalName()));
                        }
                        case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                            if (!stack.isEmpty()) {
                                stack.get(stack.size() - 1).text.append(r.getText());
                            }
                        }
                        case XMLStreamConstants.END_ELEMENT -> {
                            Builder b = stack.remove(stack.size() - 1);
                            Node n = new Node(b.name, b.text.toString().trim(), List.copyOf(b.children));
                            if (stack.isEmpty()) {
                                root = n;
                            } else {
                                stack.get(stack.size() - 1).children.add(n);
                            }
                        }
                        default -> {
                        }
                    }
                }
                if (root == null) {
                    throw malformed("the body is empty");
                }
                return root;
            } finally {
                r.close();
            }
        } catch (XMLStreamException | RuntimeException e) {
            if (e instanceof S3Exception s3) {
                throw s3;
            }
            throw new S3Exception(S3Error.MALFORMED_XML, S3Error.MALFORMED_XML.defaultMessage()
                    + " (" + firstLine(e.getMessage()) + ")", null, e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    private static S3Exception malformed(String why) {
        return S3Error.MALFORMED_XML.exception(S3Error.MALFORMED_XML.defaultMessage() + " (" + why + ")");
    }

    private static final class Builder {
        final String name;
        final StringBuilder text = new StringBuilder();
        final List<Node> children = new ArrayList<>();

        Builder(String name) {
            this.name = name;
        }
    }
}
