package io.predastore.node.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFilesTest {
    @TempDir
    Path dir;

    private static final ProcessHandle SELF = ProcessHandle.current();

    @Test
    void aRunningNode_isFoundAgain_evenWhenTheClockWasSteppedSinceItsPidFileWasWritten() throws Exception {
        assumeTrue(PidFiles.startTicks(SELF.pid()).isPresent(), "needs /proc");
        PidFiles.write(dir, 1, SELF);
        List<String> lines = Files.readAllLines(PidFiles.pidFile(dir, 1));
        // As a JVM started after a clock step of 18 s computes the start time: 18 s off.
        long stepped = Long.parseLong(lines.get(1)) + 18_000;
        Files.writeString(PidFiles.pidFile(dir, 1), lines.get(0) + "\n" + stepped + "\n" + lines.get(2) + "\n");

        assertThat(PidFiles.liveProcess(dir, 1)).contains(SELF);
    }

    @Test
    void aReusedPid_isNotTakenForTheNode() throws Exception {
        assumeTrue(PidFiles.startTicks(SELF.pid()).isPresent(), "needs /proc");
        PidFiles.write(dir, 2, SELF);
        List<String> lines = Files.readAllLines(PidFiles.pidFile(dir, 2));
        long earlier = Long.parseLong(lines.get(2)) - 500;
        Files.writeString(PidFiles.pidFile(dir, 2), lines.get(0) + "\n" + lines.get(1) + "\n" + earlier + "\n");

        assertThat(PidFiles.liveProcess(dir, 2)).isEmpty();
    }

    @Test
    void aPidFileOfAnEarlierVersion_withoutTicks_isCheckedByItsStartTime() throws Exception {
        long started = SELF.info().startInstant().orElseThrow().toEpochMilli();
        Files.createDirectories(PidFiles.runDir(dir));
        Files.writeString(PidFiles.pidFile(dir, 3), SELF.pid() + "\n" + started + "\n");
        Files.writeString(PidFiles.pidFile(dir, 4), SELF.pid() + "\n" + (started - 60_000) + "\n");

        assertThat(PidFiles.liveProcess(dir, 3)).contains(SELF);
        assertThat(PidFiles.liveProcess(dir, 4)).isEmpty();
    }

    @Test
    void aDamagedPidFile_namesNoNode_ratherThanFailing() throws Exception {
        Files.createDirectories(PidFiles.runDir(dir));
        Files.writeString(PidFiles.pidFile(dir, 5), SELF.pid() + "\nnot-a-time\n");
        Files.writeString(PidFiles.pidFile(dir, 6), SELF.pid() + "\n1\nnot-ticks\n");

        assertThat(PidFiles.liveProcess(dir, 5)).isEmpty();
        assertThat(PidFiles.liveProcess(dir, 6)).isEmpty();
    }

    @Test
    void startTicks_readsTheFieldAfterACommandNameWithSpacesAndParentheses() throws Exception {
        assumeTrue(PidFiles.startTicks(SELF.pid()).isPresent(), "needs /proc");
        String stat = Files.readString(Path.of("/proc/self/stat"));
        long expected = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
        assertThat(PidFiles.startTicks(SELF.pid())).contains(expected);
    }
}
