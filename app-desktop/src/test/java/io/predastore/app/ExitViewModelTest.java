package io.predastore.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.app.ExitViewModel.Choice;
import io.predastore.app.ExitViewModel.Plan;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExitViewModelTest {
    @Test
    void planFollowsTheAnswerOnlyWhileNodesRun() {
        assertThat(ExitViewModel.plan(true, Choice.STOP)).isEqualTo(Plan.CLOSE_AND_STOP_NODES);
        assertThat(ExitViewModel.plan(true, Choice.LEAVE_RUNNING)).isEqualTo(Plan.CLOSE_AND_LEAVE_NODES);
        assertThat(ExitViewModel.plan(true, Choice.CANCEL)).isEqualTo(Plan.STAY_OPEN);
        assertThat(ExitViewModel.plan(true, null)).isEqualTo(Plan.STAY_OPEN);
        assertThat(ExitViewModel.plan(false, null)).isEqualTo(Plan.CLOSE_AND_STOP_NODES);
    }

    @Test
    void asksOnlyWhenNodesRun() {
        AtomicInteger asked = new AtomicInteger();
        ExitViewModel vm = new ExitViewModel(() -> false);
        assertThat(vm.closeRequested(() -> {
            asked.incrementAndGet();
            return Choice.CANCEL;
        })).isEqualTo(Plan.CLOSE_AND_STOP_NODES);
        assertThat(asked).hasValue(0);
        assertThat(vm.stopNodesOnExit()).isTrue();
    }

    @Test
    void leavingNodesRunningMeansNotStoppingThemOnExitAndCancelThenStopDoes() {
        AtomicBoolean running = new AtomicBoolean(true);
        ExitViewModel vm = new ExitViewModel(running::get);
        assertThat(vm.stopNodesOnExit()).isTrue();

        assertThat(vm.closeRequested(() -> Choice.LEAVE_RUNNING)).isEqualTo(Plan.CLOSE_AND_LEAVE_NODES);
        assertThat(vm.stopNodesOnExit()).isFalse();

        assertThat(vm.closeRequested(() -> Choice.CANCEL)).isEqualTo(Plan.STAY_OPEN);
        assertThat(vm.closeRequested(() -> Choice.STOP)).isEqualTo(Plan.CLOSE_AND_STOP_NODES);
        assertThat(vm.stopNodesOnExit()).isTrue();
    }
}
