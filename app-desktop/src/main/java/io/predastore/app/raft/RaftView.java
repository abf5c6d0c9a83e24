package io.predastore.app.raft;

import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;

/** The metadata Raft group: leader highlighted, term, commit index, peers, leader-change timeline. */
public final class RaftView extends BorderPane {
    public RaftView(RaftViewModel vm) {
        setId("raft-view");
        GridPane facts = new GridPane();
        facts.setHgap(16);
        facts.setVgap(4);
        facts.setPadding(new Insets(8));
        addFact(facts, 0, "Leader", vm.leaderProperty(), "raft-leader");
        addFact(facts, 1, "Term", vm.termProperty(), "raft-term");
        addFact(facts, 2, "Commit index", vm.commitIndexProperty(), "raft-commit");
        addFact(facts, 3, "Last applied", vm.appliedIndexProperty(), "raft-applied");

        TableView<PeerRow> peers = new TableView<>(vm.peers());
        peers.setId("raft-peers");
        peers.getColumns().add(column("Peer", PeerRow::id));
        peers.getColumns().add(column("Address", PeerRow::address));
        peers.getColumns().add(column("Role", PeerRow::role));
        peers.getColumns().add(column("Match index", PeerRow::matchIndex));
        peers.getColumns().add(column("Lag (entries)", PeerRow::lag));
        peers.getColumns().add(column("Last contact", PeerRow::lastContact));
        peers.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        peers.setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(PeerRow item, boolean empty) {
                super.updateItem(item, empty);
                setStyle(!empty && item != null && item.leader()
                        ? "-fx-background-color: #fff3c4; -fx-font-weight: bold;" : "");
            }
        });

        TableView<LeaderChangeRow> changes = new TableView<>(vm.leaderChanges());
        changes.setId("raft-leader-changes");
        changes.getColumns().add(column("Time", LeaderChangeRow::at));
        changes.getColumns().add(column("Term", r -> Long.toString(r.term())));
        changes.getColumns().add(column("New leader", LeaderChangeRow::leaderId));
        changes.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        changes.setPrefHeight(180);

        Label peersTitle = title("Peers (as the leader sees them)");
        Label changesTitle = title("Leader changes (newest first)");
        VBox box = new VBox(6, facts, peersTitle, peers, changesTitle, changes);
        box.setPadding(new Insets(8));
        VBox.setVgrow(peers, javafx.scene.layout.Priority.ALWAYS);
        setCenter(box);
    }

    private static Label title(String text) {
        Label l = new Label(text);
        l.setFont(Font.font(null, FontWeight.BOLD, 13));
        return l;
    }

    private static void addFact(GridPane grid, int col, String name, ObservableValue<String> value, String id) {
        Label n = new Label(name);
        n.setStyle("-fx-text-fill: #666;");
        Label v = new Label();
        v.setId(id);
        v.setFont(Font.font(null, FontWeight.BOLD, 18));
        v.textProperty().bind(value);
        grid.add(n, col, 0);
        grid.add(v, col, 1);
    }

    private static <T> TableColumn<T, String> column(String title, Function<T, String> value) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        return c;
    }
}
