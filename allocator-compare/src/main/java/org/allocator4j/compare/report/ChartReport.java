package org.allocator4j.compare.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.allocator4j.compare.input.Trace;
import org.allocator4j.compare.input.TraceSummary;
import org.allocator4j.compare.replay.ReplayResult;
import org.allocator4j.compare.strategy.StrategyRegistry;

/**
 * The chart: a self-contained HTML page (inline SVG and CSS, no script, nothing fetched from the network)
 * with the footprint of each strategy and the live bytes over the trace's events, a bar chart of peak
 * footprint against peak live bytes, and the table.
 */
public final class ChartReport {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
            "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};
    private static final int WIDTH = 900;
    private static final int HEIGHT = 420;
    private static final int LEFT = 80;
    private static final int RIGHT = 170;
    private static final int TOP = 20;
    private static final int BOTTOM = 50;

    private ChartReport() {
    }

    public static void write(Path path, Trace trace, TraceSummary summary, List<ReplayResult> results,
                      List<StrategyRegistry.Skipped> skipped) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(path, render(trace, summary, results, skipped));
    }

    public static String render(Trace trace, TraceSummary summary, List<ReplayResult> results,
                         List<StrategyRegistry.Skipped> skipped) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>allocator4j compare: ")
                .append(esc(trace.name())).append("</title>\n<style>\n")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}\n")
                .append("table{border-collapse:collapse;margin:12px 0}td,th{padding:3px 10px;border-bottom:1px solid #ddd;"
                        + "text-align:right}td:first-child,th:first-child,td:last-child,th:last-child{text-align:left}\n")
                .append("svg text{font:12px sans-serif;fill:#333}.bad{color:#b00;font-weight:bold}\n")
                .append("</style></head><body>\n<h1>allocator4j compare: ").append(esc(trace.name())).append("</h1>\n")
                .append(String.format(Locale.ROOT, "<p>%,d events (%,d alloc, %,d free, %,d realloc), %s requested, "
                                + "peak live %s; %,d frees and %,d reallocs of unknown blocks, %,d blocks never freed.</p>\n",
                        summary.events(), summary.allocs(), summary.frees(), summary.reallocs(),
                        esc(Reports.bytes(summary.allocatedBytes())), esc(Reports.bytes(summary.peakLiveBytes())),
                        summary.unknownFrees(), summary.unknownReallocs(), summary.liveAtEnd()));
        h.append("<h2>Footprint over time</h2>\n");
        lineChart(h, results, summary.events());
        h.append("<h2>Peak footprint vs. peak live bytes</h2>\n");
        barChart(h, results);
        h.append("<h2>Results</h2>\n<table><tr><th>strategy</th><th>time ms</th><th>ns/call</th><th>peak live</th>"
                + "<th>peak footprint</th><th>ratio</th><th>frag</th><th>retained</th><th>failures</th>"
                + "<th>corrupt</th><th>footprint source</th></tr>\n");
        for (ReplayResult r : results) {
            String corrupt = r.aborted() != null ? "<span class=bad>aborted</span>"
                    : r.intact() ? "0" : "<span class=bad>" + (r.corruptBlocks() + r.contractErrors()) + "</span>";
            h.append("<tr><td>").append(esc(r.strategy())).append("</td><td>")
                    .append(Reports.decimal(r.wallNanos() / 1e6, 1)).append("</td><td>")
                    .append(Reports.decimal(r.nanosPerCall(), 1)).append("</td><td>")
                    .append(esc(Reports.bytes(r.peakLiveBytes()))).append("</td><td>")
                    .append(esc(Reports.bytes(r.peakFootprint()))).append("</td><td>")
                    .append(Reports.decimal(r.footprintRatio(), 2)).append("</td><td>")
                    .append(Reports.percent(r.fragmentation())).append("</td><td>")
                    .append(esc(Reports.bytes(r.retainedBytes()))).append("</td><td>")
                    .append(r.failures()).append("</td><td>").append(corrupt).append("</td><td>")
                    .append(esc(r.footprintSource())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (StrategyRegistry.Skipped s : skipped) {
            h.append("<p>skipped <b>").append(esc(s.name())).append("</b>: ").append(esc(s.reason())).append("</p>\n");
        }
        for (ReplayResult r : results) {
            if (r.aborted() != null) {
                h.append("<p class=bad>").append(esc(r.strategy())).append(": replay aborted ")
                        .append(esc(r.aborted())).append("</p>\n");
            }
            for (String p : r.problems()) {
                h.append("<p>").append(esc(r.strategy())).append(": ").append(esc(p)).append("</p>\n");
            }
        }
        h.append("<p>Time: the replay loop, filling and checking the integrity pattern included, footprint sampling "
                + "excluded; ns/call: inside allocate, reallocate and deallocate. Ratio: peak footprint / peak live. "
                + "Frag: mean share of the footprint that is not live. Retained: footprint after every block was freed. "
                + "Footprints of different sources are not strictly comparable; see the README.</p>\n");
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void lineChart(StringBuilder h, List<ReplayResult> results, long events) {
        long max = 1;
        for (ReplayResult r : results) {
            for (long v : r.sampleLive()) {
                max = Math.max(max, v);
            }
            if (r.hasFootprint()) {
                max = Math.max(max, r.peakFootprint());
            }
        }
        long unit = 1;
        while (max / unit >= 1024 && unit <= Long.MAX_VALUE / 1024 / 1024) {
            unit *= 1024;
        }
        long mantissa = niceCeiling((max + unit - 1) / unit);
        long top = mantissa * unit;
        // 1, 2 or 5 times a power of ten: ticks at 0.2, 0.5 or 1 times that power, all round in the unit.
        long lead = mantissa;
        while (lead >= 10) {
            lead /= 10;
        }
        int ticks = lead == 2 ? 4 : 5;
        long xMax = Math.max(1, events);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"footprint over time per strategy\">\n")
                .append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" fill=\"#fff\"/>\n");
        for (int t = 0; t <= ticks; t++) {
            double y = TOP + plotH - plotH * t / (double) ticks;
            h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    LEFT, y, LEFT + plotW, y, LEFT - 6, y + 4, esc(Reports.bytes(top / ticks * t))));
        }
        for (int t = 0; t <= 5; t++) {
            double x = LEFT + plotW * t / 5.0;
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%,d</text>\n",
                    x, TOP + plotH + 18, xMax * t / 5));
        }
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">events</text>\n",
                LEFT + plotW / 2, HEIGHT - 8));
        h.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n",
                LEFT, TOP, plotW, plotH));
        int legend = 0;
        if (!results.isEmpty()) {
            ReplayResult first = results.getFirst();
            polyline(h, first.sampleEvents(), first.sampleLive(), xMax, top, "#000", "stroke-dasharray=\"5,4\"");
            legend(h, legend++, "#000", "live bytes", true);
        }
        int color = 0;
        for (ReplayResult r : results) {
            String c = COLORS[color++ % COLORS.length];
            if (r.hasFootprint()) {
                polyline(h, r.sampleEvents(), r.sampleFootprint(), xMax, top, c, "");
                legend(h, legend++, c, r.strategy(), false);
            } else {
                legend(h, legend++, "#bbb", r.strategy() + " (n/a)", false);
            }
        }
        h.append("</svg>\n");
    }

    private static void barChart(StringBuilder h, List<ReplayResult> results) {
        long max = 1;
        for (ReplayResult r : results) {
            max = Math.max(max, Math.max(r.peakLiveBytes(), r.peakFootprint()));
        }
        int row = 26;
        int height = TOP + row * Math.max(1, results.size()) + 20;
        int plotW = WIDTH - 160 - 120;
        h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(height).append("\" role=\"img\" aria-label=\"peak footprint per strategy\">\n");
        int y = TOP;
        int color = 0;
        for (ReplayResult r : results) {
            String c = COLORS[color++ % COLORS.length];
            double liveW = plotW * (double) r.peakLiveBytes() / max;
            h.append(String.format(Locale.ROOT, "<text x=\"150\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
                    y + 15, esc(r.strategy())));
            if (r.hasFootprint()) {
                double w = plotW * (double) r.peakFootprint() / max;
                h.append(String.format(Locale.ROOT, "<rect x=\"160\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>"
                                + "<text x=\"%.1f\" y=\"%d\">%s (x%s)</text>\n", y + 2, w, c,
                        160 + Math.max(w, liveW) + 6, y + 15, esc(Reports.bytes(r.peakFootprint())),
                        Reports.decimal(r.footprintRatio(), 2)));
            } else {
                h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">footprint n/a</text>\n",
                        160 + liveW + 6, y + 15));
            }
            h.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\" "
                    + "stroke-width=\"2\" stroke-dasharray=\"3,2\"/>\n", 160 + liveW, y, 160 + liveW, y + 22));
            y += row;
        }
        h.append(String.format(Locale.ROOT, "<text x=\"160\" y=\"%d\">bars: peak footprint; dashed mark: peak live bytes</text>\n",
                y + 14));
        h.append("</svg>\n");
    }

    private static void polyline(StringBuilder h, long[] xs, long[] ys, long xMax, long yMax, String color,
                                 String extra) {
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        h.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.6\" ")
                .append(extra).append(" points=\"");
        for (int i = 0; i < xs.length; i++) {
            double x = LEFT + plotW * (double) xs[i] / xMax;
            double y = TOP + plotH - plotH * (double) ys[i] / yMax;
            h.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        h.append("\"/>\n");
    }

    private static void legend(StringBuilder h, int index, String color, String label, boolean dashed) {
        int x = WIDTH - RIGHT + 12;
        int y = TOP + 10 + index * 20;
        h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>"
                        + "<text x=\"%d\" y=\"%d\">%s</text>\n", x, y, x + 22, y, color,
                dashed ? " stroke-dasharray=\"5,4\"" : "", x + 28, y + 4, esc(label)));
    }

    /** {@return the smallest 1, 2 or 5 times a power of ten that is at least {@code value}, at least 1} */
    public static long niceCeiling(long value) {
        long step = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (m * step >= value) {
                    return m * step;
                }
            }
            if (step > Long.MAX_VALUE / 10) {
                return value;
            }
            step *= 10;
        }
    }

    public static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
