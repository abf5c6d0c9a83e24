package io.predastore.node.checksum;

import java.util.zip.Checksum;

/**
 * CRC-64/NVME: the reflected CRC-64 with polynomial {@code 0xAD93D23594C93659}, initial value and final xor
 * all ones (check value for {@code "123456789"} is {@code 0xAE8B14860A799888}). Computed slice-by-8.
 */
public final class Crc64Nvme implements Checksum {
    private static final long POLY_REFLECTED = Long.reverse(0xAD93D23594C93659L);
    private static final long[][] TABLES = buildTables();

    private long register = -1L;

    private static long[][] buildTables() {
        long[][] t = new long[8][256];
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1L) != 0 ? (crc >>> 1) ^ POLY_REFLECTED : crc >>> 1;
            }
            t[0][i] = crc;
        }
        for (int k = 1; k < 8; k++) {
            for (int i = 0; i < 256; i++) {
                long prev = t[k - 1][i];
                t[k][i] = (prev >>> 8) ^ t[0][(int) (prev & 0xFF)];
            }
        }
        return t;
    }

    @Override
    public void update(int b) {
        register = TABLES[0][(int) ((register ^ b) & 0xFF)] ^ (register >>> 8);
    }

    @Override
    public void update(byte[] b, int off, int len) {
        if (off < 0 || len < 0 || off > b.length - len) {
            throw new ArrayIndexOutOfBoundsException("offset " + off + ", length " + len + ", array " + b.length);
        }
        long crc = register;
        long[] t0 = TABLES[0];
        long[] t1 = TABLES[1];
        long[] t2 = TABLES[2];
        long[] t3 = TABLES[3];
        long[] t4 = TABLES[4];
        long[] t5 = TABLES[5];
        long[] t6 = TABLES[6];
        long[] t7 = TABLES[7];
        int i = off;
        int end = off + len;
        while (end - i >= 8) {
            long x = (b[i] & 0xFFL)
                    | (b[i + 1] & 0xFFL) << 8
                    | (b[i + 2] & 0xFFL) << 16
                    | (b[i + 3] & 0xFFL) << 24
                    | (b[i + 4] & 0xFFL) << 32
                    | (b[i + 5] & 0xFFL) << 40
                    | (b[i + 6] & 0xFFL) << 48
                    | (b[i + 7] & 0xFFL) << 56;
            crc ^= x;
            crc = t7[(int) (crc & 0xFF)]
                    ^ t6[(int) ((crc >>> 8) & 0xFF)]
                    ^ t5[(int) ((crc >>> 16) & 0xFF)]
                    ^ t4[(int) ((crc >>> 24) & 0xFF)]
                    ^ t3[(int) ((crc >>> 32) & 0xFF)]
                    ^ t2[(int) ((crc >>> 40) & 0xFF)]
                    ^ t1[(int) ((crc >>> 48) & 0xFF)]
                    ^ t0[(int) (crc >>> 56)];
            i += 8;
        }
        while (i < end) {
            crc = t0[(int) ((crc ^ b[i]) & 0xFF)] ^ (crc >>> 8);
            i++;
        }
        register = crc;
    }

    /** The CRC of the bytes so far. */
    @Override
    public long getValue() {
        return ~register;
    }

    @Override
    public void reset() {
        register = -1L;
    }
}
