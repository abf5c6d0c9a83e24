package io.predastore.bench.scale;

/**
 * What a membership change does to the placement of the objects. Two measures, because they differ:
 * <ul>
 *   <li><b>slot moves</b>: shards whose index {@code i} is placed on another member than before, i.e. what moves if
 *       every object is re-placed exactly where {@code Ring.placement} now puts each index;</li>
 *   <li><b>set moves</b>: shards that must be copied to a member holding none of the object's shards before, i.e.
 *       what moves if shards already on a member that stays in the object's set stay there (a set records which
 *       node holds which index, so an index need not follow the ring order).</li>
 * </ul>
 * All counts are in objects or shards and may be fractional (objects spread evenly over partitions).
 *
 * @param objects objects counted
 * @param shards shards counted, {@code objects * width}
 * @param slotMoves shards whose index lands on another member
 * @param setMoves shards that need a member new to their object's set
 * @param objectsBySlot objects with at least one slot move
 * @param objectsBySet objects with at least one set move
 */
record Movement(double objects, double shards, double slotMoves, double setMoves, double objectsBySlot,
        double objectsBySet) {

    double slotFraction() {
        return slotMoves / shards;
    }

    double setFraction() {
        return setMoves / shards;
    }
}
