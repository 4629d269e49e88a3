package org.allocator4j.compare.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.allocator4j.compare.replay.ReplayResult;

/**
 * The chart: a self-contained HTML page (inline SVG and CSS, no script, nothing fetched) with
 * <ul>
 *   <li>the footprint of every strategy and the live bytes over the trace's events, on a logarithmic
 *       axis, so that one strategy's hundred megabytes do not flatten the others' one;</li>
 *   <li>the same per strategy, one small chart each on its own linear axis (footprint against live bytes);</li>
 *   <li>the time of the timed runs (median, min..max, the loop's own cost marked);</li>
 *   <li>the latency percentiles of allocations and frees, on a logarithmic axis;</li>
 * </ul>
 * then the tables. Each chart names the measure it draws.
 */
public final class ChartReport {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
            "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};
    private static final int WIDTH = 960;
    private static final int HEIGHT = 440;
    private static final int LEFT = 80;
    private static final int RIGHT = 190;
    private static final int TOP = 20;
    private static final int BOTTOM = 50;

    private ChartReport() {
    }

    /** Writes the page of {@code report} to the file {@code path}, creating its directory. */
    public static void write(Path path, Report report) throws IOException {
        Reports.createParent(path);
        Files.writeString(path, render(report));
    }

    /** {@return the page for {@code report}} */
    static String render(Report report) {
        List<ReplayResult> results = report.results();
        StringBuilder h = new StringBuilder(64 * 1024);
        String title = "allocator4j compare: " + report.traceName();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n<style>\n")
                .append("body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1180px}\n")
                .append("h2{margin-top:28px}.note{color:#555;max-width:960px}\n")
                .append("table{border-collapse:collapse;margin:12px 0}td,th{padding:3px 9px;border-bottom:1px solid #ddd;"
                        + "text-align:right}td:first-child,th:first-child{text-align:left}\n")
                .append("svg text{font:12px sans-serif;fill:#333}.bad{color:#b00;font-weight:bold}\n")
                .append(".grid{display:flex;flex-wrap:wrap;gap:8px}\n")
                .append("</style></head><body>\n<h1>").append(esc(title)).append("</h1>\n<p>")
                .append(esc(report.traceLine())).append("</p>\n");
        h.append("<h2>Footprint over the trace (log scale)</h2>\n<p class=note>").append(esc(Measures.FOOTPRINT))
                .append(" Dashed: live bytes (what the trace holds).</p>\n");
        footprintChart(h, results, report.events());
        h.append("<h2>Footprint per strategy (each on its own scale)</h2>\n<div class=grid>\n");
        for (int i = 0; i < results.size(); i++) {
            smallChart(h, results.get(i), COLORS[i % COLORS.length], report.events());
        }
        h.append("</div>\n<h2>Time of the timed replays</h2>\n<p class=note>").append(esc(Measures.TIME))
                .append("</p>\n");
        timeChart(h, results);
        h.append("<h2>Latency per call (log scale)</h2>\n<p class=note>").append(esc(Measures.LATENCY))
                .append("</p>\n");
        latencyChart(h, results);
        h.append("<h2>Tables</h2>\n");
        h.append(TableReport.html(report));
        h.append("</body></html>\n");
        return h.toString();
    }

    // ---- footprint, log scale

    private static void footprintChart(StringBuilder h, List<ReplayResult> results, long events) {
        long max = 1;
        long min = Long.MAX_VALUE;
        for (ReplayResult r : results) {
            for (long v : r.sampleResident()) {
                max = Math.max(max, v);
                if (v > 0) {
                    min = Math.min(min, v);
                }
            }
            for (long v : r.sampleLive()) {
                max = Math.max(max, v);
                if (v > 0) {
                    min = Math.min(min, v);
                }
            }
        }
        long[] ticks = byteTicks();
        double lo = ticks[0];
        for (long t : ticks) {
            if (t <= Math.max(1024, min == Long.MAX_VALUE ? 1024 : min)) {
                lo = t;
            }
        }
        double hi = ticks[ticks.length - 1];
        for (int t = ticks.length - 1; t >= 0; t--) {
            if (ticks[t] >= max) {
                hi = ticks[t];
            }
        }
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        open(h, WIDTH, HEIGHT, "footprint of every strategy over the trace, log scale");
        for (int t = 0; t < ticks.length; t++) {
            double v = ticks[t];
            if (v < lo || v > hi) {
                continue;
            }
            boolean major = t % 3 == 0;
            double y = TOP + plotH - plotH * (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
            h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", LEFT, y, LEFT + plotW, y,
                    major ? "#ccc" : "#eee", LEFT - 6, y + 4, esc(Reports.bytes(ticks[t]))));
        }
        xAxis(h, events, plotW, plotH);
        int legend = 0;
        if (!results.isEmpty()) {
            ReplayResult first = results.getFirst();
            h.append(logLine(first.sampleEvents(), first.sampleLive(), events, lo, hi, "#000",
                    "stroke-dasharray=\"5,4\""));
            legend(h, legend++, "#000", "live bytes", true);
        }
        for (int i = 0; i < results.size(); i++) {
            ReplayResult r = results.get(i);
            String c = COLORS[i % COLORS.length];
            h.append(logLine(r.sampleEvents(), r.sampleResident(), events, lo, hi, c, ""));
            legend(h, legend++, c, r.strategy() + " " + Reports.bytes(r.peakResident()), false);
        }
        h.append("</svg>\n");
    }

    private static String logLine(long[] xs, long[] ys, long xMax, double lo, double hi, String color, String extra) {
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder p = new StringBuilder("<polyline fill=\"none\" stroke=\"").append(color)
                .append("\" stroke-width=\"1.6\" ").append(extra).append(" points=\"");
        for (int i = 0; i < xs.length; i++) {
            double v = Math.max(lo, ys[i]);
            double x = LEFT + plotW * (double) xs[i] / Math.max(1, xMax);
            double y = TOP + plotH - plotH * (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
            p.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        return p.append("\"/>\n").toString();
    }

    private static void xAxis(StringBuilder h, long events, int plotW, int plotH) {
        for (int t = 0; t <= 4; t++) {
            double x = LEFT + plotW * t / 4.0;
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%,d</text>\n", x,
                    TOP + plotH + 18, events * t / 4));
        }
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">events</text>\n"
                        + "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n",
                LEFT + plotW / 2, HEIGHT - 8, LEFT, TOP, plotW, plotH));
    }

    /** {@return 1, 2 and 5 times 1 B, 10 B, 100 B, 1 KiB, 10 KiB, ... up to 500 GiB, ascending} */
    private static long[] byteTicks() {
        long[] ticks = new long[4 * 3 * 3];
        int n = 0;
        for (long unit = 1; unit <= 1L << 30; unit <<= 10) {
            for (long decade = 1; decade <= 100; decade *= 10) {
                for (long m : new long[] {1, 2, 5}) {
                    ticks[n++] = unit * decade * m;
                }
            }
        }
        return ticks;
    }

    // ---- one small linear chart per strategy

    private static void smallChart(StringBuilder h, ReplayResult r, String color, long events) {
        int w = 300;
        int ht = 170;
        int left = 58;
        int top = 22;
        int plotW = w - left - 10;
        int plotH = ht - top - 22;
        long max = 1;
        for (long v : r.sampleResident()) {
            max = Math.max(max, v);
        }
        for (long v : r.sampleLive()) {
            max = Math.max(max, v);
        }
        long yMax = Reports.niceCeiling(max);
        open(h, w, ht, "footprint of " + r.strategy());
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"14\" font-weight=\"bold\">%s</text>"
                        + "<text x=\"%d\" y=\"14\" text-anchor=\"end\">peak %s (x%s live)</text>\n", left,
                esc(r.strategy()), w - 10, esc(Reports.bytes(r.peakResident())), Reports.decimal(r.footprintRatio(), 2)));
        for (int t = 0; t <= 2; t++) {
            double y = top + plotH - plotH * t / 2.0;
            h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", left, y, left + plotW, y, left - 4,
                    y + 4, esc(Reports.bytes(yMax * t / 2))));
        }
        h.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n",
                left, top, plotW, plotH));
        h.append(linearLine(r.sampleEvents(), r.sampleLive(), events, yMax, left, top, plotW, plotH, "#000",
                "stroke-dasharray=\"4,3\""));
        h.append(linearLine(r.sampleEvents(), r.sampleResident(), events, yMax, left, top, plotW, plotH, color, ""));
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">0</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%,d events</text>\n",
                left, ht - 6, left + plotW, ht - 6, events));
        h.append("</svg>\n");
    }

    private static String linearLine(long[] xs, long[] ys, long xMax, long yMax, int left, int top, int plotW,
                                     int plotH, String color, String extra) {
        StringBuilder p = new StringBuilder("<polyline fill=\"none\" stroke=\"").append(color)
                .append("\" stroke-width=\"1.4\" ").append(extra).append(" points=\"");
        for (int i = 0; i < xs.length; i++) {
            double x = left + plotW * (double) xs[i] / Math.max(1, xMax);
            double y = top + plotH - plotH * (double) Math.max(0, ys[i]) / yMax;
            p.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        return p.append("\"/>\n").toString();
    }

    // ---- time

    private static void timeChart(StringBuilder h, List<ReplayResult> results) {
        double max = 1;
        for (ReplayResult r : results) {
            max = Math.max(max, r.runs().max());
        }
        int row = 26;
        int left = 160;
        int plotW = WIDTH - left - 200;
        int height = TOP + row * Math.max(1, results.size()) + 34;
        open(h, WIDTH, height, "time of the timed replays per strategy");
        int y = TOP;
        for (int i = 0; i < results.size(); i++) {
            ReplayResult r = results.get(i);
            String c = COLORS[i % COLORS.length];
            ReplayResult.Spread runs = r.runs();
            ReplayResult.Spread loop = r.loop();
            h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n", left - 8,
                    y + 15, esc(r.strategy())));
            if (runs.count() > 0) {
                double median = plotW * runs.median() / max;
                double loopW = plotW * loop.median() / max;
                double lo = plotW * runs.min() / max;
                double hi = plotW * runs.max() / max;
                h.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>"
                                + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"#fff\" fill-opacity=\"0.55\"/>"
                                + "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\"/>"
                                + "<text x=\"%.1f\" y=\"%d\">%s ms [%s..%s]</text>\n",
                        left, y + 2, median, c, left, y + 2, Math.min(loopW, median), left + lo, y + 11, left + hi,
                        y + 11, left + Math.max(hi, median) + 6, y + 15, Reports.decimal(runs.median() / 1e6, 2),
                        Reports.decimal(runs.min() / 1e6, 2), Reports.decimal(runs.max() / 1e6, 2)));
            } else {
                h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">not measured</text>\n", left, y + 15));
            }
            y += row;
        }
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">bar: median of the runs; pale part: the loop's "
                + "own cost (null allocator); whisker: min..max</text>\n", left, y + 16));
        h.append("</svg>\n");
    }

    // ---- latency

    private static void latencyChart(StringBuilder h, List<ReplayResult> results) {
        long max = 10;
        for (ReplayResult r : results) {
            max = Math.max(max, Math.max(r.latency().alloc().p999(), r.latency().free().p999()));
        }
        double lo = 1;
        double hi = Math.pow(10, Math.ceil(Math.log10(max)));
        int row = 34;
        int left = 160;
        int plotW = WIDTH - left - 200;
        int height = TOP + row * Math.max(1, results.size()) + 50;
        open(h, WIDTH, height, "latency percentiles per strategy");
        for (double tick = lo; tick <= hi * 1.0001; tick *= 10) {
            double x = left + plotW * Math.log10(tick) / Math.log10(hi);
            h.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s ns</text>\n", x, TOP, x,
                    TOP + row * results.size(), x, TOP + row * results.size() + 14, Reports.count((long) tick)));
        }
        int y = TOP;
        for (ReplayResult r : results) {
            h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n", left - 8,
                    y + 18, esc(r.strategy())));
            marks(h, r.latency().alloc(), left, plotW, hi, y + 9, "#1f77b4");
            marks(h, r.latency().free(), left, plotW, hi, y + 23, "#d62728");
            y += row;
        }
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\"><tspan fill=\"#1f77b4\">upper row: alloc</tspan>, "
                + "<tspan fill=\"#d62728\">lower row: free</tspan>; circle p50, square p99, triangle p99.9</text>\n",
                left, y + 34));
        h.append("</svg>\n");
    }

    private static void marks(StringBuilder h, org.allocator4j.compare.replay.Latencies.Percentiles p, int left,
                              int plotW, double hi, int y, String color) {
        if (p.count() == 0) {
            return;
        }
        double x50 = left + plotW * Math.log10(Math.max(1, p.p50())) / Math.log10(hi);
        double x99 = left + plotW * Math.log10(Math.max(1, p.p99())) / Math.log10(hi);
        double x999 = left + plotW * Math.log10(Math.max(1, p.p999())) / Math.log10(hi);
        h.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>"
                        + "<circle cx=\"%.1f\" cy=\"%d\" r=\"4\" fill=\"%s\"/>"
                        + "<rect x=\"%.1f\" y=\"%d\" width=\"8\" height=\"8\" fill=\"%s\"/>"
                        + "<path d=\"M%.1f %d l5 8 l-10 0 z\" fill=\"%s\"/>\n", x50, y, x999, y, color, x50, y, color,
                x99 - 4, y - 4, color, x999, y - 5, color));
    }

    // ---- helpers

    private static void open(StringBuilder h, int w, int ht, String label) {
        h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(ht)
                .append("\" role=\"img\" aria-label=\"").append(esc(label)).append("\">\n");
    }

    private static void legend(StringBuilder h, int index, String color, String label, boolean dashed) {
        int x = WIDTH - RIGHT + 12;
        int y = TOP + 10 + index * 20;
        h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>"
                        + "<text x=\"%d\" y=\"%d\">%s</text>\n", x, y, x + 22, y, color,
                dashed ? " stroke-dasharray=\"5,4\"" : "", x + 28, y + 4, esc(label)));
    }

    static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
