package io.predastore.protocol.admin;

import java.math.BigInteger;
import java.util.List;

/**
 * One ring member and its virtual nodes, for drawing the ring.
 *
 * @param id member (node) id
 * @param tokens each virtual node's position as a fraction of the circle, in [0, 1), in index order
 * @param rawTokens the same positions as unsigned 64-bit decimal strings (exact; JSON numbers would lose bits)
 * @param load number of partitions the member owns
 * @param alive whether the member is currently reachable
 */
public record RingMember(String id, List<Double> tokens, List<String> rawTokens, int load, boolean alive) {
    private static final BigInteger MAX_TOKEN = BigInteger.ONE.shiftLeft(64);

    public RingMember {
        Checks.nonBlank(id, "id");
        tokens = Checks.list(tokens, "tokens");
        rawTokens = Checks.list(rawTokens, "rawTokens");
        if (tokens.size() != rawTokens.size()) {
            throw new IllegalArgumentException("Member " + id + " has " + tokens.size() + " tokens but "
                    + rawTokens.size() + " raw tokens");
        }
        for (double t : tokens) {
            if (!(t >= 0.0 && t < 1.0)) {
                throw new IllegalArgumentException("Token fractions must be in [0, 1), not " + t);
            }
        }
        for (String raw : rawTokens) {
            if (raw.isEmpty() || raw.length() > 20 || !raw.chars().allMatch(c -> c >= '0' && c <= '9')
                    || new BigInteger(raw).compareTo(MAX_TOKEN) >= 0) {
                throw new IllegalArgumentException("Raw tokens must be unsigned 64-bit decimals, not '" + raw + "'");
            }
        }
        if (load < 0) {
            throw new IllegalArgumentException("load must not be negative, not " + load);
        }
    }
}
