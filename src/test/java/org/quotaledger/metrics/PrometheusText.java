package org.quotaledger.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The Prometheus text exposition format, read into series and values (comments skipped). */
public final class PrometheusText {

    private final Map<String, Double> series = new LinkedHashMap<>();

    private PrometheusText(String text) {
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String value = line.substring(space + 1);
            series.put(line.substring(0, space).trim(), switch (value) {
                case "NaN" -> Double.NaN;
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(value);
            });
        }
    }

    public static PrometheusText parse(String text) {
        return new PrometheusText(text);
    }

    /** The value of one series, written as exposed, e.g. {@code ledger_shipments_recorded_total{tier="TIER_2"}}. */
    public Double value(String seriesWithLabels) {
        return series.get(seriesWithLabels);
    }

    /** The value of the one series with this name whose labels include all of {@code labels} ("k=\"v\""). */
    public Double find(String name, String... labels) {
        Double found = null;
        for (Map.Entry<String, Double> entry : series.entrySet()) {
            String key = entry.getKey();
            if (!nameOf(key).equals(name)) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= key.contains(label);
            }
            if (all) {
                if (found != null) {
                    throw new IllegalStateException("more than one series " + name + " with " + String.join(",", labels));
                }
                found = entry.getValue();
            }
        }
        return found;
    }

    public Set<String> names() {
        Set<String> names = new TreeSet<>();
        series.keySet().forEach(key -> names.add(nameOf(key)));
        return names;
    }

    public Set<String> seriesOf(String name) {
        Set<String> found = new TreeSet<>();
        series.keySet().stream().filter(key -> nameOf(key).equals(name)).forEach(found::add);
        return found;
    }

    private static String nameOf(String key) {
        int brace = key.indexOf('{');
        return brace < 0 ? key : key.substring(0, brace);
    }
}
