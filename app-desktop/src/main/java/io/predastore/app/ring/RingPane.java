package io.predastore.app.ring;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Group;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;

/**
 * The hash ring: every member's virtual-node tokens on a circle in the member's colour (dead members grey), a
 * legend with each member's load, and the shards of a chosen object linked to the nodes holding them.
 */
public final class RingPane extends BorderPane {
    static final Color DEAD = Color.web("#b0b0b0");
    static final Color BAD = Color.web("#d32f2f");
    private static final Color[] PALETTE = {
        Color.web("#1f77b4"), Color.web("#ff7f0e"), Color.web("#2ca02c"), Color.web("#9467bd"),
        Color.web("#8c564b"), Color.web("#e377c2"), Color.web("#17becf"), Color.web("#bcbd22"),
        Color.web("#7f7f7f"), Color.web("#393b79"),
    };

    private final RingViewModel vm;
    private final Pane canvas = new Pane();
    private final VBox legend = new VBox(4);

    public RingPane(RingViewModel vm) {
        this.vm = vm;
        setId("ring-view");
        canvas.setId("ring-canvas");
        canvas.setMinSize(300, 300);
        canvas.setPrefSize(560, 520);
        canvas.widthProperty().addListener(o -> redraw());
        canvas.heightProperty().addListener(o -> redraw());
        vm.members().addListener((ListChangeListener<RingMemberInfo>) c -> {
            redraw();
            redrawLegend();
        });
        vm.shards().addListener((ListChangeListener<ShardMark>) c -> redraw());

        TextField bucket = new TextField();
        bucket.setId("placement-bucket");
        bucket.setPromptText("bucket");
        bucket.textProperty().bindBidirectional(vm.bucketProperty());
        TextField key = new TextField();
        key.setId("placement-key");
        key.setPromptText("key");
        key.textProperty().bindBidirectional(vm.keyProperty());
        HBox.setHgrow(key, Priority.ALWAYS);
        Button show = new Button("Show placement");
        show.setId("show-placement");
        show.setDefaultButton(false);
        show.setOnAction(e -> vm.showPlacement());
        key.setOnAction(e -> vm.showPlacement());
        HBox query = new HBox(8, new Label("Object"), bucket, new Label("/"), key, show);
        query.setAlignment(Pos.CENTER_LEFT);
        query.setPadding(new Insets(8));

        Label health = new Label();
        health.setId("placement-health");
        health.setWrapText(true);
        health.textProperty().bind(vm.healthProperty());
        Label summary = new Label();
        summary.textProperty().bind(vm.summaryProperty());
        VBox bottom = new VBox(4, health, summary);
        bottom.setPadding(new Insets(8));

        Label legendTitle = new Label("Members (load = partitions owned)");
        legendTitle.setFont(Font.font(null, FontWeight.BOLD, 12));
        VBox side = new VBox(8, legendTitle, legend);
        side.setPadding(new Insets(8));
        side.setMinWidth(200);

        setTop(query);
        setCenter(canvas);
        setRight(side);
        setBottom(bottom);
    }

    /** The colour of member {@code index} (its node number minus one). */
    public static Color colour(int index) {
        return PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    private void redrawLegend() {
        legend.getChildren().clear();
        for (RingMemberInfo m : vm.members()) {
            Rectangle swatch = new Rectangle(12, 12, m.alive() ? colour(m.colour()) : DEAD);
            Label l = new Label(m.id() + "  load " + m.load() + "  " + m.tokens().size() + " tokens"
                    + (m.alive() ? "" : "  (dead)"), swatch);
            l.getStyleClass().add("ring-legend-entry");
            legend.getChildren().add(l);
        }
    }

    private void redraw() {
        canvas.getChildren().clear();
        double w = canvas.getWidth() > 0 ? canvas.getWidth() : canvas.getPrefWidth();
        double h = canvas.getHeight() > 0 ? canvas.getHeight() : canvas.getPrefHeight();
        double cx = w / 2;
        double cy = h / 2;
        double r = Math.max(40, Math.min(w, h) / 2 - 60);

        Circle ring = new Circle(cx, cy, r, Color.TRANSPARENT);
        ring.setStroke(Color.web("#cfcfcf"));
        ring.setStrokeWidth(10);
        canvas.getChildren().add(ring);

        List<RingMemberInfo> members = List.copyOf(vm.members());
        Map<String, RingGeometry.Point> anchors = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            RingMemberInfo m = members.get(i);
            Color c = m.alive() ? colour(m.colour()) : DEAD;
            for (double t : m.tokens()) {
                RingGeometry.Point in = RingGeometry.point(cx, cy, r - 8, t);
                RingGeometry.Point out = RingGeometry.point(cx, cy, r + 8, t);
                Line tick = new Line(in.x(), in.y(), out.x(), out.y());
                tick.setStroke(c);
                tick.setStrokeWidth(2);
                tick.getStyleClass().add("ring-token");
                canvas.getChildren().add(tick);
            }
            RingGeometry.Point p = RingGeometry.point(cx, cy, r + 36, RingGeometry.evenly(i, members.size()));
            anchors.put(m.id(), p);
        }

        List<ShardMark> shards = List.copyOf(vm.shards());
        double inner = r * 0.45;
        for (int i = 0; i < shards.size(); i++) {
            ShardMark s = shards.get(i);
            RingGeometry.Point p = RingGeometry.point(cx, cy, inner, RingGeometry.evenly(i, shards.size()));
            RingGeometry.Point target = anchors.get(s.nodeId());
            Color c = s.ok() ? (s.parity() ? Color.web("#6a1b9a") : Color.web("#00695c")) : BAD;
            if (target != null) {
                Line link = new Line(p.x(), p.y(), target.x(), target.y());
                link.setStroke(c);
                link.setStrokeWidth(1.5);
                if (!s.ok()) {
                    link.getStrokeDashArray().addAll(6.0, 4.0);
                }
                canvas.getChildren().add(link);
            }
            Circle dot = new Circle(p.x(), p.y(), 15, s.ok() ? Color.WHITE : Color.web("#ffebee"));
            dot.setStroke(c);
            dot.setStrokeWidth(2);
            Text label = centred(s.label(), p, c);
            Group mark = new Group(dot, label);
            mark.getStyleClass().add("shard-mark");
            mark.setUserData(s);
            canvas.getChildren().add(mark);
        }

        for (int i = 0; i < members.size(); i++) {
            RingMemberInfo m = members.get(i);
            RingGeometry.Point p = anchors.get(m.id());
            Color c = m.alive() ? colour(m.colour()) : DEAD;
            Circle badge = new Circle(p.x(), p.y(), 22, c);
            Text t = centred(m.id(), p, Color.WHITE);
            t.setFont(Font.font(null, FontWeight.BOLD, 10));
            Group g = new Group(badge, t);
            g.getStyleClass().add("ring-node");
            canvas.getChildren().add(g);
        }
    }

    private static Text centred(String text, RingGeometry.Point p, Color colour) {
        Text t = new Text(text);
        t.setFont(Font.font(null, FontWeight.BOLD, 12));
        t.setFill(colour);
        double tw = t.getLayoutBounds().getWidth();
        double th = t.getLayoutBounds().getHeight();
        t.setX(p.x() - tw / 2);
        t.setY(p.y() + th / 4);
        return t;
    }
}
