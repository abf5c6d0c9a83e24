package io.predastore.node.meta;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Guarantees a node can be told to break on purpose, so that the fault-injection suite can show it catches the
 * breakage: a suite that never fails proves nothing. Switched on only by the JVM system property
 * {@value #PROPERTY} (a comma list of {@link #cliName()}s), which no script or installer of the product sets; a node
 * so started says so in a warning at startup. Never use it on data you care about.
 */
public enum Weakening {
    /**
     * Metadata reads are answered from this node's own replica at once, without the read index that makes them
     * linearizable: a follower that lags (or is cut off from the leader) serves old records, so a read may miss a
     * write that was already acknowledged.
     */
    LOCAL_READS;

    /** The system property that switches weakenings on. */
    public static final String PROPERTY = "predastore.unsafe.weaken";

    private static final Set<Weakening> ACTIVE = parse(System.getProperty(PROPERTY, ""));

    /** Whether this weakening is switched on in this JVM. */
    public boolean active() {
        return ACTIVE.contains(this);
    }

    /** Every weakening switched on in this JVM (usually none). */
    public static Set<Weakening> activeSet() {
        return ACTIVE.isEmpty() ? Set.of() : EnumSet.copyOf(ACTIVE);
    }

    /** The name in {@value #PROPERTY}: {@code local-reads}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The weakenings a comma list names.
     *
     * @throws IllegalArgumentException naming an unknown entry and the known ones; a node refuses to start then,
     *                                  rather than run with a guarantee broken other than the one asked for
     */
    static Set<Weakening> parse(String text) {
        Set<Weakening> set = EnumSet.noneOf(Weakening.class);
        for (String part : text.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) {
                continue;
            }
            set.add(Arrays.stream(values()).filter(w -> w.cliName().equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown weakening '" + name + "' in -D"
                            + PROPERTY + "; the known ones are " + Arrays.stream(values()).map(Weakening::cliName)
                            .toList())));
        }
        return set;
    }
}
