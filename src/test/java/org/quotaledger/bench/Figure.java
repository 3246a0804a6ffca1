package org.quotaledger.bench;

import java.util.List;
import java.util.Locale;

/** One line of the result table. A figure without a baseline has a null one; one without a target too. */
public record Figure(String name, double value, String unit, Double baseline, String baselineName, Target target) {

    public Figure(String name, double value, String unit, Double baseline, String baselineName) {
        this(name, value, unit, baseline, baselineName, null);
    }

    public Figure withTarget(Target newTarget) {
        return new Figure(name, value, unit, baseline, baselineName, newTarget);
    }

    public Figure named(String newName) {
        return new Figure(newName, value, unit, baseline, baselineName, target);
    }

    /** Figure 7's row for one workload: the heap retained after it, with its peaks beside. */
    static Figure memory(String workload, MemoryWatch.Usage usage) {
        return new Figure("  7 memory, " + workload + ": heap retained", usage.retainedHeapMb(), "MB", null,
                String.format(Locale.ROOT, "peak heap %.0f MB, peak RSS %.0f MB", usage.peakHeapMb(), usage.peakRssMb()));
    }

    public Double ratio() {
        return baseline == null || baseline == 0 ? null : value / baseline;
    }

    /** Null when the figure has no target. */
    public Boolean met() {
        if (target == null) {
            return null;
        }
        Double measured = target.onRatio() ? ratio() : Double.valueOf(value);
        return measured != null && target.accepts(measured);
    }

    /** What issue 8 asks of a figure: its ratio (or its value) at least or at most a bound. */
    public record Target(boolean onRatio, boolean atLeast, double bound) {

        public static Target ratioAtLeast(double bound) {
            return new Target(true, true, bound);
        }

        public static Target ratioAtMost(double bound) {
            return new Target(true, false, bound);
        }

        public static Target valueAtLeast(double bound) {
            return new Target(false, true, bound);
        }

        public static Target valueAtMost(double bound) {
            return new Target(false, false, bound);
        }

        boolean accepts(double measured) {
            return atLeast ? measured >= bound : measured <= bound;
        }

        @Override
        public String toString() {
            return (onRatio ? "ratio " : "") + (atLeast ? ">= " : "<= ") + number(bound);
        }
    }

    /** The figures as one fixed-width table, as wide as its longest name: value, baseline, ratio and target side by side. */
    public static String table(List<Figure> figures) {
        StringBuilder out = new StringBuilder();
        int nameWidth = figures.stream().mapToInt(figure -> figure.name().length()).max().orElse(0);
        String format = "%-" + Math.max("figure".length(), nameWidth) + "s %14s %-12s %12s  %-7s %-13s %-4s %s%n";
        out.append(String.format(Locale.ROOT, format, "figure", "value", "unit", "baseline", "ratio", "target", "met",
                "baseline is"));
        for (Figure figure : figures) {
            Double ratio = figure.ratio();
            Boolean met = figure.met();
            out.append(String.format(Locale.ROOT, format, figure.name(), number(figure.value()), figure.unit(),
                    figure.baseline() == null ? "-" : number(figure.baseline()),
                    ratio == null ? "-" : String.format(Locale.ROOT, "%.3f", ratio),
                    figure.target() == null ? "-" : figure.target().toString(),
                    met == null ? "-" : met ? "yes" : "NO",
                    figure.baselineName() == null ? "" : figure.baselineName()).stripTrailing()).append('\n');
        }
        return out.toString();
    }

    static String number(double value) {
        return value >= 100 || value == Math.rint(value) ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }
}
