package io.predastore.protocol.http;

import io.predastore.protocol.http.MalformedRequestException.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes a client sent into text in exactly one way, or refuses them: percent-escapes must be complete, and
 * the decoded bytes must be UTF-8. Nothing is ever replaced by U+FFFD or kept "as is" on error, because two
 * different inputs that decode to one text would let one signed name stand for another. Stateless and thread-safe.
 */
public final class StrictDecoding {
    private StrictDecoding() {
    }

    /**
     * Percent-decodes {@code raw}: each {@code %XX} (either case of hex) becomes the byte XX, {@code +} becomes a
     * space when {@code plusIsSpace} (query strings) and stays a plus otherwise (paths), and every other printable
     * ASCII character (space included) stands for itself. The bytes must then be UTF-8.
     *
     * @param what names the component in error messages, e.g. "the path"
     * @throws MalformedRequestException with {@link Problem#TARGET} for a character outside printable ASCII or a
     *     {@code %} not followed by two hex digits, with {@link Problem#ENCODING} if the bytes are not UTF-8
     */
    public static String percent(String raw, boolean plusIsSpace, String what) {
        boolean plain = true;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new MalformedRequestException(Problem.TARGET, capitalised(what) + " has the character "
                        + hex(c) + " at index " + i + "; percent-encode it as UTF-8 bytes.");
            }
            if (c == '%' || (c == '+' && plusIsSpace)) {
                plain = false;
            }
        }
        if (plain) {
            return raw;
        }
        byte[] out = new byte[raw.length()];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int low = high >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (low < 0) {
                    throw new MalformedRequestException(Problem.TARGET, capitalised(what) + " has a '%' at index " + i
                            + " that is not followed by two hex digits; send a literal '%' as %25.");
                }
                out[n++] = (byte) (high << 4 | low);
                i += 2;
            } else {
                out[n++] = (byte) (c == '+' && plusIsSpace ? ' ' : c);
            }
        }
        try {
            return utf8(out, n);
        } catch (CharacterCodingException e) {
            throw new MalformedRequestException(Problem.ENCODING, capitalised(what) + " is not UTF-8 once "
                    + "percent-decoded; object keys, paths and query parameters must be UTF-8.");
        }
    }

    /**
     * Decodes UTF-8, refusing malformed sequences, overlong forms, surrogates and code points above U+10FFFF.
     *
     * @throws CharacterCodingException if {@code bytes} is not UTF-8
     */
    public static String utf8(byte[] bytes) throws CharacterCodingException {
        return utf8(bytes, bytes.length);
    }

    private static String utf8(byte[] bytes, int length) throws CharacterCodingException {
        boolean ascii = true;
        for (int i = 0; i < length && ascii; i++) {
            ascii = bytes[i] >= 0;
        }
        if (ascii) {
            return new String(bytes, 0, length, StandardCharsets.US_ASCII);
        }
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, 0, length))
                .toString();
    }

    /** A character as {@code 0xNN}, for messages that must not echo it. */
    public static String hex(char c) {
        return String.format("0x%02X", (int) c);
    }

    private static String capitalised(String what) {
        return what.isEmpty() ? what : Character.toUpperCase(what.charAt(0)) + what.substring(1);
    }
}
