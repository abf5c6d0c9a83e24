package io.predastore.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.chaos.history.HistoryFile;
import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.OpType;
import io.predastore.chaos.history.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckerTest {
    private final HistoryBuilder h = new HistoryBuilder();

    @TempDir
    Path dir;

    private CheckResult check() {
        return new Checker().check(h.ops());
    }

    private static Finding only(CheckResult result, FindingType type) {
        assertThat(result.findings()).as(result.render()).extracting(Finding::type).containsExactly(type);
        return result.findings().get(0);
    }

    // --- violations are caught ---

    @Test
    void check_readAbsentAfterCompletedPut_lostWrite() {
        h.put(1, "k", "w1", 0, 10);
        h.get(2, "k", "w1", 12, 14);
        h.put(1, "k", "w2", 20, 30);
        h.get(2, "k", "w2", 25, 35);
        Op read = h.get(3, "k", null, 40, 45);

        Finding f = only(check(), FindingType.LOST_WRITE);

        assertThat(f.key()).isEqualTo("k");
        assertThat(f.explanation()).contains("PUT k := w2").contains("40.000 ms");
        assertThat(f.excerpt()).contains(read).hasSizeLessThan(h.ops().size());
    }

    @Test
    void check_readOfOverwrittenValue_notLinearizable() {
        Op source = h.put(1, "k", "w1", 0, 10);
        Op overwrite = h.put(1, "k", "w2", 20, 30);
        h.get(3, "k", "w2", 32, 34);
        Op stale = h.get(2, "k", "w1", 40, 50);

        Finding f = only(check(), FindingType.NOT_LINEARIZABLE);

        assertThat(f.explanation()).contains("GET k -> w1").contains("held w2");
        assertThat(f.excerpt()).containsExactly(source, overwrite, stale);
    }

    @Test
    void check_twoReadsSeeNewThenOld_notLinearizable() {
        h.put(1, "k", "w1", 0, 10);
        h.put(1, "k", "w2", 20, 100);
        h.get(2, "k", "w2", 30, 40);
        h.get(3, "k", "w1", 50, 60);

        only(check(), FindingType.NOT_LINEARIZABLE);
    }

    @Test
    void check_twoCreatesSucceedInSequence_doubleCreate() {
        h.create(1, "k", "w1", 0, 10, Outcome.OK);
        h.create(2, "k", "w2", 20, 30, Outcome.OK);

        Finding f = only(check(), FindingType.DOUBLE_CREATE);

        assertThat(f.excerpt()).hasSize(2);
    }

    @Test
    void check_readAfterDeleteReturnsDeletedValue_resurrectedDelete() {
        h.put(1, "k", "w1", 0, 10);
        h.delete(1, "k", 20, 30);
        h.get(2, "k", "w1", 40, 50);

        only(check(), FindingType.RESURRECTED_DELETE);
    }

    @Test
    void check_readOfUnwrittenId_phantomRead() {
        h.put(1, "k", "w1", 0, 10);
        h.get(2, "k", "w9", 5, 15);

        only(check(), FindingType.PHANTOM_READ);
    }

    @Test
    void check_corruptBytes_corruptRead() {
        h.put(1, "k", "w1", 0, 10);
        h.corruptGet(2, "k", "w1", 20, 30);

        Finding f = only(check(), FindingType.CORRUPT_READ);

        assertThat(f.explanation()).contains("20.000 ms");
    }

    @Test
    void check_finalListingMissesPresentKey_listingIncomplete() {
        h.put(1, "p/a", "w1", 0, 10);
        h.put(1, "p/b", "w2", 10, 20);
        h.put(1, "q/c", "w3", 10, 20);
        h.get(1, "p/a", "w1", 30, 31);
        h.get(1, "p/b", "w2", 30, 31);
        h.get(1, "q/c", "w3", 30, 31);
        h.list(2, "p/", List.of("p/a"), 40, 50);

        Finding f = only(check(), FindingType.LISTING_INCOMPLETE);

        assertThat(f.key()).isEqualTo("p/");
        assertThat(f.explanation()).contains("[p/b]");
    }

    @Test
    void check_finalListingNamesDeletedKey_listingIncomplete() {
        h.put(1, "p/a", "w1", 0, 10);
        h.delete(1, "p/a", 10, 20);
        h.get(1, "p/a", null, 30, 31);
        h.list(2, "p/", List.of("p/a"), 40, 50);

        assertThat(only(check(), FindingType.LISTING_INCOMPLETE).explanation()).contains("absent");
    }

    @Test
    void check_replaceSucceedsOnWrongValue_notLinearizable() {
        h.put(1, "k", "w1", 0, 10);
        h.put(1, "k", "w2", 20, 30);
        h.replace(2, "k", "w1", "w3", 40, 50, Outcome.OK);

        only(check(), FindingType.NOT_LINEARIZABLE);
    }

    @Test
    void check_createRefusedOnAbsentObject_notLinearizable() {
        h.create(1, "k", "w1", 0, 10, Outcome.REFUSED);

        only(check(), FindingType.NOT_LINEARIZABLE);
    }

    @Test
    void check_readOfFailedWrite_notLinearizable() {
        h.put(1, "k", "w1", 0, 10, Outcome.FAILED);
        h.get(2, "k", "w1", 20, 30);

        only(check(), FindingType.NOT_LINEARIZABLE);
    }

    // --- tricky valid histories pass ---

    @Test
    void check_concurrentWritesReadInEitherOrder_valid() {
        h.put(1, "a", "w1", 0, 100);
        h.put(2, "a", "w2", 0, 100);
        h.get(3, "a", "w1", 110, 120);
        h.put(1, "b", "w3", 0, 100);
        h.put(2, "b", "w4", 0, 100);
        h.get(3, "b", "w4", 110, 120);

        assertThat(check().valid()).as(check().render()).isTrue();
    }

    @Test
    void check_unknownWriteThatApplied_valid() {
        h.put(1, "k", "w1", 0, 10);
        h.put(2, "k", "w2", 20, 30, Outcome.UNKNOWN);
        h.get(3, "k", "w1", 40, 50);
        h.get(3, "k", "w2", 60, 70); // the unknown write took effect after its client gave up
        h.get(3, "k", "w2", 80, 90);

        assertThat(check().valid()).as(check().render()).isTrue();
    }

    @Test
    void check_unknownWriteThatNeverApplied_valid() {
        h.put(1, "k", "w1", 0, 10);
        h.put(2, "k", "w2", 20, 30, Outcome.UNKNOWN);
        h.delete(2, "k", 35, 38, Outcome.UNKNOWN);
        h.get(3, "k", "w1", 40, 50);
        h.get(3, "k", "w1", 60, 70);

        assertThat(check().valid()).as(check().render()).isTrue();
    }

    @Test
    void check_unknownWriteReadBeforeItsInvocation_notLinearizable() {
        h.get(3, "k", "w2", 0, 10);
        h.put(2, "k", "w2", 20, 30, Outcome.UNKNOWN);

        only(check(), FindingType.NOT_LINEARIZABLE);
    }

    @Test
    void check_refusedCreateObservingConcurrentCreate_valid() {
        h.create(1, "k", "w1", 0, 100, Outcome.OK);
        h.create(2, "k", "w2", 10, 50, Outcome.REFUSED);
        h.replace(2, "k", "w9", "w3", 60, 70, Outcome.REFUSED);
        h.replace(3, "k", "w1", "w4", 110, 120, Outcome.OK);
        h.get(3, "k", "w4", 130, 140);

        assertThat(check().valid()).as(check().render()).isTrue();
    }

    @Test
    void check_overlappingReadsSeeOldAndNew_valid() {
        h.put(1, "k", "w1", 0, 10);
        h.put(1, "k", "w2", 20, 100);
        h.get(2, "k", "w1", 30, 60);
        h.get(3, "k", "w2", 40, 50);
        h.get(4, "k", "w1", 45, 55); // may still precede the write: only real-time order binds
        h.get(2, "k", "w2", 110, 120);

        assertThat(check().valid()).as(check().render()).isTrue();
    }

    @Test
    void check_deleteRaceAndFinalListing_valid() {
        h.create(1, "p/a", "w1", 0, 10, Outcome.OK);
        h.delete(2, "p/a", 5, 30);
        h.get(3, "p/a", "w1", 12, 20);
        h.create(1, "p/a", "w2", 25, 40, Outcome.OK);
        h.put(1, "p/b", "w3", 0, 10, Outcome.FAILED);
        h.get(1, "p/a", "w2", 50, 51);
        h.get(2, "p/a", "w2", 50, 51);
        h.get(1, "p/b", null, 50, 51);
        h.list(1, "p/", List.of("p/a"), 52, 53);
        h.list(1, "p/", List.of(), 1, 2); // not final: not judged

        assertThat(check().valid()).as(check().render()).isTrue();
    }

    // --- report and entry point ---

    @Test
    void render_finding_showsTimesWorkerNodeAndOps() {
        h.put(1, "k", "w1", 0, 10);
        h.get(2, "k", null, 12, 14);

        String text = check().render();

        assertThat(text).contains("INVALID").contains("LOST_WRITE on k")
                .contains("0.000 -     10.000 ms  worker 1   n1   PUT k := w1  OK")
                .contains("GET k -> absent  OK").contains("PUT       OK 1");
    }

    @Test
    void check_tinyBudget_undecidedNotViolation() {
        for (int i = 0; i < 8; i++) {
            h.put(i, "k", "w" + i, i, 1000);
        }
        h.get(5, "k", "w3", 1001, 1002);

        CheckResult result = new Checker(5).check(h.ops());

        assertThat(result.findings()).extracting(Finding::type).containsExactly(FindingType.UNDECIDED);
        assertThat(result.violated()).isFalse();
        assertThat(result.valid()).isFalse();
        assertThat(new Checker().check(h.ops()).valid()).isTrue();
    }

    @Test
    void run_historyFile_exitCodeFollowsVerdict() throws Exception {
        h.put(1, "k", "w1", 0, 10);
        Path good = dir.resolve("good.jsonl");
        write(good, h.ops());
        h.get(2, "k", null, 12, 14);
        Path bad = dir.resolve("bad.jsonl");
        write(bad, h.ops());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

        assertThat(Checker.run(new String[] {good.toString()}, print, print)).isZero();
        assertThat(Checker.run(new String[] {bad.toString()}, print, print)).isEqualTo(1);
        assertThat(Checker.run(new String[] {bad.toString(), "--budget", "0"}, print, print)).isEqualTo(64);
        assertThat(Checker.run(new String[] {dir.resolve("none").toString()}, print, print)).isEqualTo(66);
        Path malformed = dir.resolve("malformed.jsonl");
        write(malformed, List.of(new HistoryBuilder().put(1, "k", null, 0, 1)));
        assertThat(Checker.run(new String[] {malformed.toString()}, print, print)).isEqualTo(65);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("LOST_WRITE");
    }

    @Test
    void check_counts_byTypeAndOutcome() {
        h.put(1, "k", "w1", 0, 10);
        h.put(1, "k", "w2", 10, 20, Outcome.FAILED);
        h.get(1, "j", null, 30, 40);

        CheckResult result = check();

        assertThat(result.counts().get(OpType.PUT)).containsEntry(Outcome.OK, 1).containsEntry(Outcome.FAILED, 1);
        assertThat(result.keys()).isEqualTo(2);
        assertThat(result.operations()).isEqualTo(3);
    }

    private static void write(Path file, List<Op> ops) throws Exception {
        try (HistoryFile out = HistoryFile.create(file)) {
            for (Op op : ops) {
                out.append(op);
            }
        }
    }
}
