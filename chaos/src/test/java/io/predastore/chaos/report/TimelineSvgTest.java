package io.predastore.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.predastore.chaos.history.Op;
import io.predastore.chaos.history.OpType;
import io.predastore.chaos.history.Outcome;
import io.predastore.chaos.nemesis.FaultEvent;
import io.predastore.chaos.nemesis.FaultKind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Fault windows of the timeline: every one shaded with a tooltip, labels only where they fit. */
class TimelineSvgTest {
    private static final long S = 1_000_000_000L;

    /** A label drawn over the fault windows: its row (baseline y) and horizontal extent. */
    private record Label(String text, int y, double x1, double x2) {
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /** The fault labels: the text elements of font size 9. */
    private static List<Label> labels(Document doc) {
        List<Label> labels = new ArrayList<>();
        NodeList texts = doc.getElementsByTagName("text");
        for (int i = 0; i < texts.getLength(); i++) {
            Element t = (Element) texts.item(i);
            if ("9".equals(t.getAttribute("font-size"))) {
                double x = Double.parseDouble(t.getAttribute("x"));
                String text = t.getTextContent();
                labels.add(new Label(text, Integer.parseInt(t.getAttribute("y")), x,
                        x + text.length() * TimelineSvg.LABEL_CHAR_WIDTH));
            }
        }
        return labels;
    }

    /** The tooltips of the shaded fault windows (rects with a title). */
    private static List<String> windowTitles(Document doc) {
        List<String> titles = new ArrayList<>();
        NodeList rects = doc.getElementsByTagName("rect");
        for (int i = 0; i < rects.getLength(); i++) {
            NodeList title = ((Element) rects.item(i)).getElementsByTagName("title");
            if (title.getLength() == 1) {
                titles.add(title.item(0).getTextContent());
            }
        }
        return titles;
    }

    private static String label(FaultEvent f) {
        return f.kind().cliName() + " " + f.nodes().stream().map(n -> "n" + n)
                .collect(Collectors.joining(","));
    }

    private static List<Op> steadyOps(int seconds) {
        List<Op> ops = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            ops.add(new Op(s, 0, "n1", OpType.GET, "k", null, null, s * S, s * S + S / 10, Outcome.OK, null, false,
                    List.of(), null));
        }
        return ops;
    }

    @Test
    void render_200FaultsOver30Minutes_labelsNeverOverlapInARowAndEveryWindowIsShadedWithATitle() throws Exception {
        FaultKind[] kinds = FaultKind.values();
        List<FaultEvent> faults = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // 200 faults, 2 s apart, over 30 minutes: each 7 s long, one starting every 9 s.
            long start = i * 9L * S;
            faults.add(new FaultEvent(kinds[i % kinds.length], List.of(1 + i % 5, 1 + (i + 2) % 5).stream().sorted()
                    .toList(), start, start + 7 * S));
        }

        String svg = TimelineSvg.render(steadyOps(1800), faults);
        Document doc = parse(svg);

        assertThat(windowTitles(doc)).containsExactlyInAnyOrderElementsOf(faults.stream().map(TimelineSvgTest::label)
                .toList());
        List<Label> labels = labels(doc);
        assertThat(labels).isNotEmpty().hasSizeLessThan(200);
        Map<Integer, List<Label>> rows = new HashMap<>();
        for (Label l : labels) {
            rows.computeIfAbsent(l.y(), y -> new ArrayList<>()).add(l);
        }
        assertThat(rows).hasSizeLessThanOrEqualTo(3);
        for (List<Label> row : rows.values()) {
            for (int i = 0; i < row.size(); i++) {
                for (int j = i + 1; j < row.size(); j++) {
                    Label a = row.get(i);
                    Label b = row.get(j);
                    assertThat(a.x2() <= b.x1() || b.x2() <= a.x1())
                            .as("%s and %s overlap in row y=%d", a, b, a.y()).isTrue();
                }
            }
        }
    }

    @Test
    void render_denseFaults_stillNoOverlap() throws Exception {
        List<FaultEvent> faults = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            faults.add(new FaultEvent(FaultKind.PARTITION, List.of(1, 2), i * S / 2, i * S / 2 + 3 * S));
        }
        Document doc = parse(TimelineSvg.render(List.of(), faults));

        assertThat(windowTitles(doc)).hasSize(400);
        List<Label> labels = labels(doc);
        for (Label a : labels) {
            for (Label b : labels) {
                if (a != b && a.y() == b.y()) {
                    assertThat(a.x2() <= b.x1() || b.x2() <= a.x1()).as("%s and %s overlap", a, b).isTrue();
                }
            }
        }
    }

    @Test
    void render_fewWellSpacedFaults_labelsEveryOne() throws Exception {
        List<FaultEvent> faults = List.of(new FaultEvent(FaultKind.KILL, List.of(1, 3), 10 * S, 20 * S),
                new FaultEvent(FaultKind.PAUSE, List.of(2), 60 * S, 70 * S),
                new FaultEvent(FaultKind.PARTITION, List.of(4, 5), 110 * S, 130 * S));

        Document doc = parse(TimelineSvg.render(steadyOps(150), faults));

        assertThat(labels(doc)).extracting(Label::text).containsExactly("kill n1,n3", "pause n2", "partition n4,n5");
        assertThat(windowTitles(doc)).containsExactly("kill n1,n3", "pause n2", "partition n4,n5");
    }

    @Test
    void render_closeFaults_goToTheNextFreeRow() throws Exception {
        // Three faults one second apart on a 100 s run (9.2 px per second): each label is wider than the gap.
        List<FaultEvent> faults = List.of(new FaultEvent(FaultKind.KILL, List.of(1), 10 * S, 11 * S),
                new FaultEvent(FaultKind.KILL, List.of(2), 11 * S, 12 * S),
                new FaultEvent(FaultKind.KILL, List.of(3), 12 * S, 13 * S),
                new FaultEvent(FaultKind.KILL, List.of(4), 13 * S, 14 * S),
                new FaultEvent(FaultKind.KILL, List.of(5), 60 * S, 61 * S));

        List<Label> labels = labels(parse(TimelineSvg.render(steadyOps(100), faults)));

        // The fourth finds no free row and is left to its tooltip; the last is far enough for the first row.
        assertThat(labels).extracting(Label::text).containsExactly("kill n1", "kill n2", "kill n3", "kill n5");
        assertThat(labels).extracting(Label::y).containsExactly(TimelineSvg.labelBaseline(0),
                TimelineSvg.labelBaseline(1), TimelineSvg.labelBaseline(2), TimelineSvg.labelBaseline(0));
    }

    @Test
    void shades_coverEveryKind_keepTheColoursOfTheFirstThree_andTheLegendListsThemAll() throws Exception {
        Set<String> colours = new HashSet<>();
        for (FaultKind kind : FaultKind.values()) {
            assertThat(TimelineSvg.shade(kind)).isNotNull();
            colours.add(TimelineSvg.shade(kind));
        }
        assertThat(colours).hasSize(Math.min(FaultKind.values().length, 8));
        assertThat(TimelineSvg.shade(FaultKind.KILL)).isEqualTo("#ff7f0e");
        assertThat(TimelineSvg.shade(FaultKind.PAUSE)).isEqualTo("#1f77b4");
        assertThat(TimelineSvg.shade(FaultKind.PARTITION)).isEqualTo("#9467bd");

        String svg = TimelineSvg.render(List.of(), List.of());
        for (FaultKind kind : FaultKind.values()) {
            assertThat(svg).contains(">" + kind.cliName() + "</text>");
        }
        // No fault: the background and one legend swatch per kind.
        assertThat(parse(svg).getElementsByTagName("rect").getLength()).isEqualTo(1 + FaultKind.values().length);
    }
}
