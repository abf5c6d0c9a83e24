package io.predastore.app.ring;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.animation.KeyFrame;
import javafx.animation.KeyValue;
import javafx.animation.Timeline;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
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
import javafx.util.Duration;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;

/**
 * The hash ring: every member's virtual-node tokens on a circle in the member's colour (dead members grey, draining
 * ones grey and dashed with a hatched badge), a legend with each member's load, the ring epoch, and the shards of a
 * chosen object linked to the nodes holding them. When the epoch changes, the members' badges glide to their new
 * places and a new member's tokens grow out onto the circle, so the user sees what changed.
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
    /** 0 to 1 while an epoch change is animated, 1 otherwise. */
    private final DoubleProperty transition = new SimpleDoubleProperty(1);
    private final Timeline animation = new Timeline();
    /** Where each member's badge was (fraction of the circle) when the last epoch was drawn. */
    private Map<String, Double> previousPlaces = Map.of();
    private Map<String, Double> places = Map.of();
    private long drawnEpoch = -1;

    public RingPane(RingViewModel vm) {
        this.vm = vm;
        setId("ring-view");
        canvas.setId("ring-canvas");
        canvas.setMinSize(300, 300);
        canvas.setPrefSize(560, 520);
        canvas.widthProperty().addListener(o -> redraw());
        canvas.heightProperty().addListener(o -> redraw());
        transition.addListener(o -> redraw());
        vm.members().addListener((ListChangeListener<RingMemberInfo>) c -> {
            membersChanged(vm.epochProperty().get());
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
        summary.setId("ring-summary");
        summary.textProperty().bind(vm.summaryProperty());
        VBox bottom = new VBox(4, health, summary);
        bottom.setPadding(new Insets(8));

        Label legendTitle = new Label("Members (load = partitions owned)");
        legendTitle.setFont(Font.font(null, FontWeight.BOLD, 12));
        Label epochLabel = new Label();
        epochLabel.setId("ring-epoch");
        epochLabel.setFont(Font.font(null, FontWeight.BOLD, 14));
        epochLabel.textProperty().bind(vm.epochProperty().asString("Ring epoch %d"));
        epochLabel.visibleProperty().bind(vm.epochProperty().greaterThanOrEqualTo(0));
        Label note = new Label("Joining nodes are not on the ring until they are active. Draining nodes (hatched) "
                + "take no new objects; their shards move to the others.");
        note.setWrapText(true);
        note.setMaxWidth(200);
        note.setStyle("-fx-text-fill: #616161; -fx-font-size: 11px;");
        VBox side = new VBox(8, epochLabel, legendTitle, legend, note);
        side.setPadding(new Insets(8));
        side.setMinWidth(200);

        setTop(query);
        setCenter(canvas);
        setRight(side);
        setBottom(bottom);
    }

    /** Whether an epoch change is being animated (the drawing is not yet where the members are). */
    public boolean animating() {
        return animation.getStatus() == javafx.animation.Animation.Status.RUNNING;
    }

        /** The colour of member {@code index} (its node number minus one). */
    public static Color colour(int index) {
        return PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    /**
     * The members changed: at a new epoch the badges animate from their old places; at the same epoch (a node went
     * down or came back) the ring is simply redrawn.
     */
    private void membersChanged(long epoch) {
        Map<String, Double> next = new HashMap<>();
        List<RingMemberInfo> members = List.copyOf(vm.members());
        for (int i = 0; i < members.size(); i++) {
            next.put(members.get(i).id(), RingGeometry.evenly(i, members.size()));
        }
        boolean newEpoch = drawnEpoch >= 0 && epoch != drawnEpoch;
        previousPlaces = places;
        places = next;
        drawnEpoch = epoch;
        animation.stop();
        if (!newEpoch) {
            previousPlaces = next;
            transition.set(1);
            redraw();
            return;
        }
        animation.getKeyFrames().setAll(new KeyFrame(Duration.ZERO, new KeyValue(transition, 0)),
                new KeyFrame(Duration.millis(700), new KeyValue(transition, 1)));
        animation.playFromStart();
    }

    /** Where a badge is drawn during a transition: from its old place to its new, the short way round. */
    private double badgePlace(String id, double t) {
        double to = places.getOrDefault(id, 0.0);
        Double from = previousPlaces.get(id);
        if (from == null || t >= 1) {
            return to;
        }
        double delta = to - from;
        delta -= Math.rint(delta);
        double at = (from + delta * t) % 1.0;
        return at < 0 ? at + 1.0 : at;
    }

    private void redrawLegend() {
        legend.getChildren().clear();
        for (RingMemberInfo m : vm.members()) {
            Rectangle swatch = new Rectangle(12, 12, m.alive() && !m.draining() ? colour(m.colour()) : DEAD);
            if (m.draining()) {
                swatch.setStroke(colour(m.colour()));
                swatch.getStrokeDashArray().addAll(3.0, 2.0);
            }
            Label l = new Label(m.id() + "  load " + m.load() + "  " + m.tokens().size() + " tokens"
                    + (m.draining() ? "  (draining)" : m.alive() ? "" : "  (dead)"), swatch);
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
        double progress = transition.get();
        for (int i = 0; i < members.size(); i++) {
            RingMemberInfo m = members.get(i);
            Color c = m.alive() && !m.draining() ? colour(m.colour()) : DEAD;
            // A member new at this epoch grows its tokens out from the centre onto the circle.
            double scale = previousPlaces.containsKey(m.id()) ? 1 : progress;
            for (double t : m.tokens()) {
                RingGeometry.Point in = RingGeometry.point(cx, cy, (r - 8) * scale, t);
                RingGeometry.Point out = RingGeometry.point(cx, cy, (r + 8) * scale, t);
                Line tick = new Line(in.x(), in.y(), out.x(), out.y());
                tick.setStroke(c);
                tick.setStrokeWidth(2);
                if (m.draining()) {
                    tick.getStrokeDashArray().addAll(3.0, 3.0);
                }
                tick.getStyleClass().add(m.draining() ? "ring-token-draining" : "ring-token");
                canvas.getChildren().add(tick);
            }
            double place = places.containsKey(m.id()) ? badgePlace(m.id(), progress)
                    : RingGeometry.evenly(i, members.size());
            anchors.put(m.id(), RingGeometry.point(cx, cy, r + 36, place));
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
            Color c = m.alive() && !m.draining() ? colour(m.colour()) : DEAD;
            Circle badge = new Circle(p.x(), p.y(), 22, m.draining() ? hatch(colour(m.colour())) : c);
            if (m.draining()) {
                badge.setStroke(colour(m.colour()));
                badge.getStrokeDashArray().addAll(4.0, 3.0);
                badge.setStrokeWidth(2);
            }
            Text t = centred(m.id(), p, m.draining() ? Color.web("#424242") : Color.WHITE);
            t.setFont(Font.font(null, FontWeight.BOLD, 10));
            Group g = new Group(badge, t);
            g.getStyleClass().add(m.draining() ? "ring-node-draining" : "ring-node");
            g.setUserData(m);
            canvas.getChildren().add(g);
        }
    }

    /** Diagonal stripes of the member's colour on light grey: a draining member, still holding shards. */
    private static javafx.scene.paint.Paint hatch(Color stripe) {
        return new javafx.scene.paint.LinearGradient(0, 0, 6, 6, false, javafx.scene.paint.CycleMethod.REPEAT,
                new javafx.scene.paint.Stop(0, Color.web("#e0e0e0")), new javafx.scene.paint.Stop(0.5,
                        Color.web("#e0e0e0")), new javafx.scene.paint.Stop(0.5, stripe.deriveColor(0, 0.5, 1.2, 1)),
                new javafx.scene.paint.Stop(1, stripe.deriveColor(0, 0.5, 1.2, 1)));
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
