package org.quotaledger.balance;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.quotaledger.balance.HistoryMessages.BalancePoint;

/**
 * A country's balance over time drawn on the server as SVG path data: consumed TPP, and the cap
 * where there is one, as step lines (a balance holds until the next event changes it). Drawing it
 * here needs no chart script, so the page works under the strict Content-Security-Policy.
 */
record BalanceChart(int width, int height, String consumedPath, String capPath, List<Tick> ticks, String from,
                    String to, String description) {

    /** A horizontal grid line with its label. */
    record Tick(double y, String label) {
    }

    static final int WIDTH = 720;
    static final int HEIGHT = 240;
    private static final int LEFT = 90;
    private static final int RIGHT = 10;
    private static final int TOP = 10;
    private static final int BOTTOM = 30;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** The time axis runs from the first point to {@code now}: the latest balance holds until then. */
    static BalanceChart of(String country, List<BalancePoint> points, Instant now) {
        if (points.isEmpty()) {
            return new BalanceChart(WIDTH, HEIGHT, "", "", List.of(), "", "", country + ": no balance recorded yet");
        }
        double top = 1;
        for (BalancePoint point : points) {
            top = Math.max(top, point.consumedTpp());
            if (point.capTpp() != null) {
                top = Math.max(top, point.capTpp());
            }
        }
        top *= 1.05;
        long first = points.get(0).at().toEpochMilli();
        long last = Math.max(points.get(points.size() - 1).at().toEpochMilli(), now.toEpochMilli());
        Scale scale = new Scale(first, Math.max(1, last - first), top, points.size());

        // a policy reaches a country at its enactment time, which may precede a shipment it follows: never go back
        double[] xs = new double[points.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = Math.max(i == 0 ? LEFT : xs[i - 1], scale.x(i, points.get(i).at().toEpochMilli()));
        }
        StringBuilder consumed = new StringBuilder();
        StringBuilder cap = new StringBuilder();
        boolean capOpen = false;
        for (int i = 0; i < points.size(); i++) {
            BalancePoint point = points.get(i);
            double x = xs[i];
            double nextX = i + 1 < xs.length ? xs[i + 1] : WIDTH - RIGHT; // the latest balance holds until now
            double y = scale.y(point.consumedTpp());
            consumed.append(i == 0 ? "M" : " L").append(format(x)).append(' ').append(format(y))
                    .append(" L").append(format(nextX)).append(' ').append(format(y));
            if (point.capTpp() == null) {
                capOpen = false;
            } else {
                double capY = scale.y(point.capTpp());
                cap.append(capOpen ? " L" : (cap.isEmpty() ? "M" : " M")).append(format(x)).append(' ').append(format(capY))
                        .append(" L").append(format(nextX)).append(' ').append(format(capY));
                capOpen = true;
            }
        }
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            double value = top * i / 4;
            ticks.add(new Tick(scale.y(value), String.format(Locale.ROOT, "%,.0f", value)));
        }
        BalancePoint latest = points.get(points.size() - 1);
        String description = String.format(Locale.ROOT, "%s: consumed TPP over time, %d points from %s to %s; now %,d TPP%s",
                country, points.size(), TIME.format(points.get(0).at()), TIME.format(latest.at()), latest.consumedTpp(),
                latest.capTpp() == null ? ", no cap" : String.format(Locale.ROOT, " of a %,d TPP cap", latest.capTpp()));
        return new BalanceChart(WIDTH, HEIGHT, consumed.toString(), cap.toString(), ticks,
                TIME.format(points.get(0).at()), TIME.format(Instant.ofEpochMilli(last)), description);
    }

    // public: the page template calls these, and SpEL sees public methods only
    public int plotLeft() {
        return LEFT;
    }

    public int plotRight() {
        return WIDTH - RIGHT;
    }

    public int plotBottom() {
        return HEIGHT - BOTTOM;
    }

    public boolean empty() {
        return consumedPath.isEmpty();
    }

    /** Time to x (by position when every point has the same instant), TPP to y. */
    private record Scale(long first, long span, double top, int count) {

        double x(int index, long at) {
            double share = span <= 1 && count > 1 ? (double) index / (count - 1) : (double) (at - first) / span;
            return LEFT + share * (WIDTH - LEFT - RIGHT);
        }

        double y(double tpp) {
            return TOP + (1 - tpp / top) * (HEIGHT - TOP - BOTTOM);
        }
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
