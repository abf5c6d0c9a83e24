package io.predastore.node.metrics;

import java.util.Map;
import java.util.TreeMap;

/**
 * A scrape in the Prometheus text format (version 0.0.4) taken apart for tests: each sample's value by its series
 * ({@code name} or {@code name{label="value",...}} with the labels sorted and values unescaped), and each metric's
 * {@code # TYPE} and {@code # HELP}. Comparing series rather than lines leaves out what is free to change: the order
 * of metrics and labels, and how a number is written ({@code 5} or {@code 5.0}).
 */
public record PrometheusScrape(Map<String, Double> samples, Map<String, String> types, Map<String, String> help) {
    /** Takes {@code text} apart; a line it cannot read fails with the line. */
    public static PrometheusScrape parse(String text) {
        Map<String, Double> samples = new TreeMap<>();
        Map<String, String> types = new TreeMap<>();
        Map<String, String> help = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("# TYPE ") || line.startsWith("# HELP ")) {
                String rest = line.substring(7);
                int space = rest.indexOf(' ');
                (line.startsWith("# TYPE ") ? types : help).put(rest.substring(0, space), rest.substring(space + 1));
            } else if (!line.startsWith("#")) {
                sample(line, samples);
            }
        }
        return new PrometheusScrape(samples, types, help);
    }

    /** Whether some sample belongs to the metric {@code name} (with any labels). */
    public boolean hasMetric(String name) {
        return samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
    }

    private static void sample(String line, Map<String, Double> samples) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq).trim();
                if (line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("unquoted label value in: " + line);
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = line.substring(i).trim().split(" ");
        samples.put(series(name, labels), Double.parseDouble(rest[0]));
    }

    /** The key of a series in {@link #samples()}. */
    public static String series(String name, Map<String, String> labels) {
        if (labels.isEmpty()) {
            return name;
        }
        StringBuilder out = new StringBuilder(name).append('{');
        new TreeMap<>(labels).forEach((k, v) -> out.append(k).append("=\"").append(v).append("\","));
        out.setLength(out.length() - 1);
        return out.append('}').toString();
    }
}
