package io.predastore.node.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.predastore.node.faultlog.ClientFaultLog;
import io.predastore.node.http.MalformedRequestException.Problem;
import java.util.Iterator;
import java.util.Map;

/**
 * Refuses header values that hold control characters. Netty's HTTP decoder already refuses CR, LF, NUL and other
 * controls in values it parses (and unfolds obs-fold continuation lines into a space, as RFC 9112 §5.2 allows), so
 * this is the same rule stated where the request is interpreted, independent of how the decoder is configured: a
 * value with a line break or NUL could smuggle a header or cut a string short in whatever reads it next. Stateless
 * and thread-safe.
 */
public final class HeaderValues {
    private HeaderValues() {
    }

    /**
     * Checks every header value: horizontal tab, printable ASCII and obs-text (0x80-0xFF) are allowed; other
     * controls (CR, LF, NUL, DEL...) and characters beyond one byte are not.
     *
     * @throws MalformedRequestException with {@link Problem#HEADER} naming the first bad header
     */
    public static void check(HttpHeaders headers) {
        Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            CharSequence value = h.getValue();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                    String name = h.getKey().toString();
                    throw new MalformedRequestException(Problem.HEADER, "The value of the header '"
                            + ClientFaultLog.sanitize(name.length() <= 64 ? name : name.substring(0, 64) + "...")
                            + "' has the character " + StrictDecoding.hex(c) + " at index " + i
                            + "; header values must not contain CR, LF, NUL or other control characters.");
                }
            }
        }
    }
}
