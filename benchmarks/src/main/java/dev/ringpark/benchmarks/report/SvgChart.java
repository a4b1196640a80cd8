package dev.ringpark.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * A line chart as SVG text, drawn by hand: a logarithmic x axis (concurrency), a linear or
 * logarithmic y axis, one line per contender, the legend on the right. No plotting library.
 */
final class SvgChart {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 420;
    private static final int LEFT = 78;
    private static final int RIGHT = 520;
    private static final int TOP = 48;
    private static final int BOTTOM = 360;
    private static final int LEGEND_X = 540;

    /** One point of a line. */
    record Point(double x, double y) {
    }

    /** One contender's line; {@code dashed} marks a reference (fio) rather than a contender. */
    record Line(String name, String color, boolean dashed, List<Point> points) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logY;

    /**
     * @param logY a logarithmic y axis, for figures that span decades (thread counts)
     */
    SvgChart(String title, String xLabel, String yLabel, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logY = logY;
    }

    /**
     * The chart of {@code lines} (empty lines are left out).
     *
     * @throws IllegalArgumentException if no line has a point, or a point is not positive where its axis is logarithmic
     */
    String render(List<Line> lines) {
        List<Line> drawn = lines.stream().filter(l -> !l.points().isEmpty()).toList();
        TreeSet<Double> xs = new TreeSet<>();
        double maxY = 0;
        double minY = Double.MAX_VALUE;
        for (Line line : drawn) {
            for (Point p : line.points()) {
                if (p.x() <= 0 || (logY && p.y() <= 0)) {
                    throw new IllegalArgumentException("a logarithmic axis needs positive figures: " + p);
                }
                xs.add(p.x());
                maxY = Math.max(maxY, p.y());
                minY = Math.min(minY, p.y());
            }
        }
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("nothing to draw in " + title);
        }
        Axis x = Axis.logarithmicBetween(xs.first(), xs.last(), LEFT + 12, RIGHT - 12);
        Axis y = logY ? Axis.logarithmic(minY, maxY, BOTTOM, TOP) : Axis.linear(maxY, BOTTOM, TOP);

        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, """
                <svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" \
                font-family="Helvetica, Arial, sans-serif" font-size="12">
                <rect width="100%%" height="100%%" fill="white"/>
                <text x="%d" y="24" font-size="15" font-weight="bold">%s</text>
                """, WIDTH, HEIGHT, WIDTH, HEIGHT, LEFT, escape(title)));
        for (double tick : y.ticks()) {
            double py = y.position(tick);
            svg.append(String.format(Locale.ROOT, """
                    <line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#e0e0e0"/>
                    <text x="%d" y="%.1f" text-anchor="end" dominant-baseline="middle">%s</text>
                    """, LEFT, py, RIGHT, py, LEFT - 6, py, Format.tick(tick)));
        }
        for (double tick : xs) {
            double px = x.position(tick);
            svg.append(String.format(Locale.ROOT, """
                    <line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e0e0e0"/>
                    <text x="%.1f" y="%d" text-anchor="middle">%s</text>
                    """, px, TOP, px, BOTTOM, px, BOTTOM + 16, Format.tick(tick)));
        }
        svg.append(String.format(Locale.ROOT, """
                <rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#606060"/>
                <text x="%d" y="%d" text-anchor="middle">%s</text>
                <text x="18" y="%d" text-anchor="middle" transform="rotate(-90 18 %d)">%s</text>
                """, LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP, (LEFT + RIGHT) / 2, BOTTOM + 38, escape(xLabel),
                (TOP + BOTTOM) / 2, (TOP + BOTTOM) / 2, escape(yLabel)));
        int legendY = TOP + 8;
        for (Line line : drawn) {
            String dash = line.dashed() ? " stroke-dasharray=\"6 4\"" : "";
            StringBuilder points = new StringBuilder();
            for (Point p : line.points()) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.position(p.x()), y.position(p.y())));
            }
            svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    points.toString().trim(), line.color(), dash));
            for (Point p : line.points()) {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>%n",
                        x.position(p.x()), y.position(p.y()), line.color()));
            }
            svg.append(String.format(Locale.ROOT, """
                    <line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"%s/>
                    <text x="%d" y="%d" dominant-baseline="middle">%s</text>
                    """, LEGEND_X, legendY, LEGEND_X + 24, legendY, line.color(), dash, LEGEND_X + 30, legendY,
                    escape(line.name())));
            legendY += 20;
        }
        return svg.append("</svg>\n").toString();
    }

    /** Maps figures to pixels along one axis. */
    private record Axis(double low, double high, boolean logarithmic, int from, int to, List<Double> ticks) {
        /** From 0 to a round number above {@code max}, with four to six round ticks. */
        static Axis linear(double max, int from, int to) {
            double step = roundStep(max <= 0 ? 1 : max);
            double high = step * Math.ceil(max * 1.05 / step);
            List<Double> ticks = new ArrayList<>();
            for (double tick = 0; tick <= high + step / 2; tick += step) {
                ticks.add(tick);
            }
            return new Axis(0, high, false, from, to, ticks);
        }

        /** From {@code min} to {@code max} exactly (half a decade either side of a single figure); no ticks of its own. */
        static Axis logarithmicBetween(double min, double max, int from, int to) {
            return min < max
                    ? new Axis(min, max, true, from, to, List.of())
                    : new Axis(min / Math.sqrt(10), max * Math.sqrt(10), true, from, to, List.of());
        }

        /** From the decade at or below {@code min} to the one at or above {@code max}, a tick per decade. */
        static Axis logarithmic(double min, double max, int from, int to) {
            double low = Math.pow(10, Math.floor(Math.log10(min)));
            double high = Math.pow(10, Math.ceil(Math.log10(max)));
            if (high <= low) {
                high = low * 10;
            }
            List<Double> ticks = new ArrayList<>();
            for (double tick = low; tick <= high * 1.001; tick *= 10) {
                ticks.add(tick);
            }
            return new Axis(low, high, true, from, to, ticks);
        }

        double position(double value) {
            double fraction = logarithmic
                    ? (Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low))
                    : (value - low) / (high - low);
            return from + fraction * (to - from);
        }

        /** 1, 2 or 5 times a power of ten, so that {@code max} spans four to six steps. */
        private static double roundStep(double max) {
            double power = Math.pow(10, Math.floor(Math.log10(max / 5)));
            for (double multiple : new double[] {1, 2, 5, 10}) {
                if (max / (power * multiple) <= 6) {
                    return power * multiple;
                }
            }
            return power * 10;
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
