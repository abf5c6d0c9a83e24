package io.predastore.app;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

/** Asks, when the window closes while local nodes run, whether to stop them or leave them running. */
final class ExitDialog {
    private static final ButtonType STOP = new ButtonType("Stop", ButtonBar.ButtonData.YES);
    private static final ButtonType LEAVE = new ButtonType("Leave running", ButtonBar.ButtonData.NO);

    private ExitDialog() {
    }

    /** Shows the dialog and waits for the answer. */
    static ExitViewModel.Choice ask(Window owner, String clusterDir) {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, "", STOP, LEAVE, ButtonType.CANCEL);
        alert.initOwner(owner);
        alert.setTitle("Close Predastore");
        alert.setHeaderText("Stop the local nodes or leave them running?");
        alert.setContentText("Nodes left running keep serving; stop them later with "
                + "predastore-node cluster down --dir " + clusterDir + ".");
        alert.getDialogPane().setId("exit-dialog");
        ButtonType answer = alert.showAndWait().orElse(ButtonType.CANCEL);
        if (answer == STOP) {
            return ExitViewModel.Choice.STOP;
        }
        if (answer == LEAVE) {
            return ExitViewModel.Choice.LEAVE_RUNNING;
        }
        return ExitViewModel.Choice.CANCEL;
    }
}
