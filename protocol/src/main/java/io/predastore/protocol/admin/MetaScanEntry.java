package io.predastore.protocol.admin;

import java.util.HexFormat;

/**
 * One entry of a metadata scan ({@code GET /v1/scan/{table}}).
 *
 * @param key the key in lower-case hex
 * @param value the value in base64
 */
public record MetaScanEntry(String key, String value) {
    public MetaScanEntry {
        if (key == null || key.length() % 2 != 0) {
            throw new IllegalArgumentException("key must be an even number of hex digits");
        }
        HexFormat.of().parseHex(key);
        if (value == null) {
            throw new NullPointerException("value");
        }
    }
}
