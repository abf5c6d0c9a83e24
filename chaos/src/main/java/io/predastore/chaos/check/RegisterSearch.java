package io.predastore.chaos.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Searches for an order of one key's steps that a sequential register accepts and that respects real time (a step
 * that completed before another was invoked comes first). Depth-first, in the manner of Wing and Gong: the next step
 * to take effect is any pending step invoked before the earliest completion among the pending required steps.
 * Every (set of steps taken, register state) reached is remembered, as Lowe proposed, so a configuration is never
 * explored twice ({@link SeenSet}); that keeps histories of little concurrency close to linear. Optional steps
 * (unknown outcomes) complete at infinity and need not be taken at all; they are tried only after every required
 * candidate, and of several pending ones with the same effect only the earliest.
 *
 * <p>An optional step is taken only where the step right after it depends on it, i.e. could not take effect in the
 * state before it. This loses no order: an optional step followed by one that works either way can be moved after
 * that one (nothing is ever due after an optional step), and one followed by nothing that depends on it, or by a
 * write that ignores it, can be dropped. It stops the search from placing unknown writes where they change
 * nothing anyone sees.
 *
 * <p>The calls and returns live in one time-ordered doubly linked list from which a taken step's call and return
 * are unlinked, and relinked on backtracking, so the candidates are always a prefix of the list.
 */
final class RegisterSearch {
    private RegisterSearch() {
    }

    enum Verdict {
        LINEARIZABLE, VIOLATED, UNDECIDED
    }

    /**
     * What the search found.
     *
     * @param verdict   whether an order exists, none does, or the budget ran out first
     * @param steps     the steps the search took (each attempt to take an operation counts one)
     * @param blocked   when not linearizable: the first required step that could not take effect in the longest
     *                  partial order found; null otherwise
     * @param state     the register's state in that partial order when {@code blocked} had to take effect
     * @param lastWrite the last write of that partial order (null if none): it names the state's value
     * @param ordered   how many required steps that partial order holds
     * @param required  how many required steps the key has
     */
    record Result(Verdict verdict, long steps, Step blocked, int state, Step lastWrite, int ordered, int required) {
    }

    private static final class Entry {
        final Step step;
        final boolean call;
        final long time;
        Entry match;
        Entry prev;
        Entry next;

        Entry(Step step, boolean call, long time) {
            this.step = step;
            this.call = call;
            this.time = time;
        }
    }

    static Result run(List<Step> steps, long budget) {
        Entry head = link(steps);
        int required = 0;
        for (Step s : steps) {
            if (!s.optional()) {
                required++;
            }
        }
        long[] taken = new long[(steps.size() + 63) / 64]; // which steps are in the order: for twinPending
        // Zobrist hashing: the set taken is the XOR of one random pair of words per step in it.
        long[] zHigh = new long[steps.size()];
        long[] zLow = new long[steps.size()];
        SplittableRandom random = new SplittableRandom(0x5EED);
        for (int i = 0; i < steps.size(); i++) {
            zHigh[i] = random.nextLong();
            zLow[i] = random.nextLong();
        }
        long takenHigh = 0;
        long takenLow = 0;
        SeenSet seen = new SeenSet();
        Entry[] stack = new Entry[steps.size()];
        int[] stateStack = new int[steps.size()];
        int[] beforeStack = new int[steps.size()];
        int before = Step.REJECT;
        int depth = 0;
        int state = KeyModel.ABSENT;
        int left = required;
        long count = 0;
        int bestOrdered = -1;
        Step blocked = null;
        int blockedState = KeyModel.ABSENT;
        Step lastWrite = null;

        int[] twin = twins(steps);
        Wanted wanted = new Wanted();
        boolean optionalPhase = false;
        Entry e = head.next;
        while (left > 0) {
            if (e.call) {
                Step s = e.step;
                if (s.optional() != optionalPhase || before != Step.REJECT && s.apply(before) != Step.REJECT
                        || optionalPhase && (twinPending(twin, s.index(), taken) || !wanted.accepts(s.apply(state)))) {
                    e = e.next;
                    continue;
                }
                if (++count > budget) {
                    return new Result(Verdict.UNDECIDED, count - 1, blocked, blockedState, lastWrite,
                            Math.max(bestOrdered, 0), required);
                }
                int next = s.apply(state);
                if (next != Step.REJECT) {
                    int i = s.index();
                    taken[i >>> 6] |= 1L << i;
                    int nextBefore = s.optional() ? state : Step.REJECT;
                    long h = takenHigh ^ zHigh[i];
                    long l = takenLow ^ zLow[i];
                    long config = (long) next << 32 | nextBefore & 0xFFFFFFFFL;
                    if (seen.add(h ^ mix(config), l ^ mix(config ^ 0x9E3779B97F4A7C15L))) {
                        takenHigh = h;
                        takenLow = l;
                        stack[depth] = e;
                        stateStack[depth] = state;
                        beforeStack[depth] = before;
                        depth++;
                        before = nextBefore;
                        state = next;
                        if (!s.optional()) {
                            left--;
                        }
                        unlink(e);
                        optionalPhase = false;
                        e = head.next;
                        continue;
                    }
                    taken[i >>> 6] &= ~(1L << i);
                }
                e = e.next;
            } else if (!optionalPhase) {
                // No required step can take effect next: try the unknown ones before giving this order up.
                optionalPhase = true;
                wanted.collect(head.next, state);
                e = head.next;
            } else {
                // A required step's return: some pending step had to take effect before here, and none could.
                int ordered = required - left;
                if (ordered > bestOrdered) {
                    bestOrdered = ordered;
                    blocked = e.step;
                    blockedState = state;
                    lastWrite = lastWrite(stack, depth);
                }
                if (depth == 0) {
                    return new Result(Verdict.VIOLATED, count, blocked, blockedState, lastWrite, bestOrdered,
                            required);
                }
                depth--;
                Entry call = stack[depth];
                state = stateStack[depth];
                before = beforeStack[depth];
                int i = call.step.index();
                taken[i >>> 6] &= ~(1L << i);
                takenHigh ^= zHigh[i];
                takenLow ^= zLow[i];
                if (!call.step.optional()) {
                    left++;
                }
                relink(call);
                optionalPhase = call.step.optional();
                if (optionalPhase) {
                    wanted.collect(head.next, state);
                }
                e = call.next;
            }
        }
        return new Result(Verdict.LINEARIZABLE, count, null, state, null, required, required);
    }

    /**
     * The states in which some candidate that cannot take effect now could: an optional step is worth taking only
     * if it leads to one of them, since the step after it must depend on it.
     */
    private static final class Wanted {
        private final Set<Integer> exact = new HashSet<>();
        private boolean anyPresent;
        private int notEqual;
        private int notEqualCount;

        void collect(Entry first, int state) {
            exact.clear();
            anyPresent = false;
            notEqualCount = 0;
            for (Entry x = first; x != null && x.call; x = x.next) {
                Step s = x.step;
                if (s.apply(state) != Step.REJECT) {
                    continue;
                }
                switch (s.kind()) {
                    case READ, CREATE -> exact.add(s.kind() == Step.Kind.READ ? s.value() : KeyModel.ABSENT);
                    case REPLACE -> exact.add(s.expected());
                    case PRESENT -> anyPresent = true;
                    case NOT_EQUAL -> {
                        if (notEqualCount == 0 || notEqual != s.expected()) {
                            notEqualCount++;
                        }
                        notEqual = s.expected();
                    }
                    default -> {
                    }
                }
            }
        }

        boolean accepts(int result) {
            return result != Step.REJECT && (exact.contains(result) || anyPresent && result != KeyModel.ABSENT
                    || notEqualCount > 1 || notEqualCount == 1 && result != notEqual);
        }
    }

    private static Step lastWrite(Entry[] stack, int depth) {
        for (int i = depth - 1; i >= 0; i--) {
            if (stack[i].step.writes()) {
                return stack[i].step;
            }
        }
        return null;
    }

    /**
     * For each optional step, the previous optional step with the same effect (-1 if none). Two pending optional
     * steps with the same effect are interchangeable, both being invoked and neither ever due, so only the earliest
     * pending one need be tried: this keeps a run of unknown writes from multiplying the search.
     */
    private static int[] twins(List<Step> steps) {
        int[] twin = new int[steps.size()];
        Map<List<Integer>, Integer> last = new HashMap<>();
        for (Step s : steps) {
            twin[s.index()] = -1;
            if (s.optional()) {
                Integer prev = last.put(List.of(s.kind().ordinal(), s.value(), s.expected()), s.index());
                if (prev != null) {
                    twin[s.index()] = prev;
                }
            }
        }
        return twin;
    }

    private static boolean twinPending(int[] twin, int index, long[] taken) {
        for (int t = twin[index]; t >= 0; t = twin[t]) {
            if ((taken[t >>> 6] & 1L << t) == 0) {
                return true;
            }
        }
        return false;
    }

    /** The calls and returns in time order; at equal times calls first, so touching operations count as concurrent. */
    private static Entry link(List<Step> steps) {
        List<Entry> entries = new ArrayList<>(steps.size() * 2);
        for (Step s : steps) {
            Entry call = new Entry(s, true, s.invoked());
            Entry ret = new Entry(s, false, s.completed());
            call.match = ret;
            ret.match = call;
            entries.add(call);
            entries.add(ret);
        }
        entries.sort((a, b) -> {
            int c = Long.compare(a.time, b.time);
            if (c != 0) {
                return c;
            }
            if (a.call != b.call) {
                return a.call ? -1 : 1;
            }
            return Integer.compare(a.step.index(), b.step.index());
        });
        Entry head = new Entry(null, false, Long.MIN_VALUE);
        Entry last = head;
        for (Entry x : entries) {
            last.next = x;
            x.prev = last;
            last = x;
        }
        return head;
    }

    private static void unlink(Entry call) {
        remove(call);
        remove(call.match);
    }

    private static void relink(Entry call) {
        insert(call.match);
        insert(call);
    }

    private static void remove(Entry x) {
        x.prev.next = x.next;
        if (x.next != null) {
            x.next.prev = x.prev;
        }
    }

    private static void insert(Entry x) {
        x.prev.next = x;
        if (x.next != null) {
            x.next.prev = x;
        }
    }

    /** A bijective scramble of 64 bits (the finaliser of MurmurHash3). */
    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xFF51AFD7ED558CCDL;
        x ^= x >>> 33;
        x *= 0xC4CEB93FE53A1ED3L;
        return x ^ x >>> 33;
    }
}
