package org.quotaledger.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/** A PNG of record latency (p50 and p99) against history length, drawn with java.awt, headless. */
final class LatencyPlot {

    /** Latencies measured with {@code history} prior events of the country. */
    record Point(long history, double p50Millis, double p99Millis) {
    }

    private static final int WIDTH = 720;
    private static final int HEIGHT = 420;
    private static final int LEFT = 70;
    private static final int RIGHT = 50;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;

    private LatencyPlot() {
    }

    static void write(List<Point> points, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

        double minX = Math.log10(points.stream().mapToLong(Point::history).min().orElse(1));
        double maxX = Math.log10(points.stream().mapToLong(Point::history).max().orElse(10));
        if (maxX - minX < 1) {
            maxX = minX + 1;
        }
        double maxY = niceCeiling(points.stream().mapToDouble(Point::p99Millis).max().orElse(1));
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        double fromX = minX;
        double spanX = maxX - minX;
        java.util.function.DoubleUnaryOperator x = value -> LEFT + (Math.log10(value) - fromX) / spanX * plotWidth;
        java.util.function.DoubleUnaryOperator y = value -> TOP + plotHeight - value / maxY * plotHeight;

        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, TOP - 15);
        g.drawLine(LEFT, TOP, LEFT, TOP + plotHeight);
        g.drawLine(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight);
        for (int tick = 0; tick <= 5; tick++) {
            double value = maxY * tick / 5;
            int ty = (int) y.applyAsDouble(value);
            g.setColor(new Color(0xE0E0E0));
            g.drawLine(LEFT + 1, ty, LEFT + plotWidth, ty);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.1f", value), 10, ty + 4);
        }
        for (Point point : points) {
            int tx = (int) x.applyAsDouble(point.history());
            g.drawLine(tx, TOP + plotHeight, tx, TOP + plotHeight + 5);
            g.drawString(String.format(Locale.ROOT, "%,d", point.history()), tx - 20, TOP + plotHeight + 20);
        }
        g.drawString("prior events of the country (log scale)", LEFT + plotWidth / 2 - 110, HEIGHT - 15);
        g.drawString("ms", 10, TOP - 15);

        series(g, points, x, y, true, new Color(0x1F77B4));
        series(g, points, x, y, false, new Color(0xD62728));
        g.setColor(new Color(0x1F77B4));
        g.drawString("p50", LEFT + plotWidth - 80, TOP + 15);
        g.setColor(new Color(0xD62728));
        g.drawString("p99", LEFT + plotWidth - 40, TOP + 15);
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(image, "png", png.toFile());
    }

    private static void series(Graphics2D g, List<Point> points, java.util.function.DoubleUnaryOperator x,
                               java.util.function.DoubleUnaryOperator y, boolean median, Color color) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2f));
        int previousX = -1;
        int previousY = -1;
        for (Point point : points) {
            int px = (int) x.applyAsDouble(point.history());
            int py = (int) y.applyAsDouble(median ? point.p50Millis() : point.p99Millis());
            g.fillOval(px - 4, py - 4, 8, 8);
            if (previousX >= 0) {
                g.drawLine(previousX, previousY, px, py);
            }
            previousX = px;
            previousY = py;
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static double niceCeiling(double value) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(value, 1e-3))));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
