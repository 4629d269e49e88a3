package org.allocator4j.compare.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.allocator4j.compare.replay.Latencies;
import org.allocator4j.compare.replay.ReplayResult;

/**
 * The tables, as text for the terminal and as HTML for the chart page: memory (the footprint, the one
 * measure for every row, and each allocator's own figure beside it), time (median and spread of the timed
 * runs, the loop's own cost) and latency percentiles per event kind; then what was skipped and the
 * problems found, and what each column measures.
 */
public final class TableReport {
    private TableReport() {
    }

    /** Prints the tables of {@code report} to {@code out}. */
    public static void print(PrintStream out, Report report) {
        out.println(report.traceLine());
        for (String note : report.notes()) {
            out.println("  " + note);
        }
        out.println();
        text(out, memory(report));
        out.println();
        text(out, time(report));
        out.println();
        text(out, latency(report));
        for (Report.Skipped s : report.skipped()) {
            out.printf("skipped %s: %s%n", s.name(), s.reason());
        }
        for (ReplayResult r : report.results()) {
            if (r.aborted() != null) {
                out.printf("%s: replay ABORTED %s%n", r.strategy(), r.aborted());
            }
            for (String problem : r.problems()) {
                out.printf("%s: %s%n", r.strategy(), problem);
            }
        }
        out.println(Measures.FOOTPRINT);
        out.println(Measures.OWN);
        out.println(Measures.TIME);
        out.println(Measures.LATENCY);
    }

    /** {@return the tables of {@code report} as HTML} */
    static String html(Report report) {
        StringBuilder h = new StringBuilder();
        for (List<String[]> table : List.of(memory(report), time(report), latency(report))) {
            h.append("<table>\n");
            for (int r = 0; r < table.size(); r++) {
                String cell = r == 0 ? "th" : "td";
                h.append("<tr>");
                for (String c : table.get(r)) {
                    h.append('<').append(cell).append('>').append(ChartReport.esc(c)).append("</").append(cell).append('>');
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
        for (ReplayResult r : report.results()) {
            if (!r.intact()) {
                h.append("<p class=bad>").append(ChartReport.esc(r.strategy() + ": "
                        + (r.aborted() != null ? "replay aborted " + r.aborted()
                        : r.corruptBlocks() + " corrupt blocks, " + r.contractErrors() + " contract errors")))
                        .append("</p>\n");
            }
        }
        for (Report.Skipped s : report.skipped()) {
            h.append("<p>skipped ").append(ChartReport.esc(s.name() + ": " + s.reason())).append("</p>\n");
        }
        return h.toString();
    }

    static List<String[]> memory(Report report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"strategy", "peak live", "peak footprint", "ratio", "retained", "own figure (peak)",
                "own figure source", "worker peak RSS", "failures", "corrupt"});
        for (ReplayResult r : report.results()) {
            rows.add(new String[] {r.strategy(), Reports.bytes(r.peakLiveBytes()), Reports.bytes(r.peakResident()),
                    Reports.decimal(r.footprintRatio(), 2), Reports.bytes(Math.max(0, r.retainedResident())),
                    Reports.bytes(r.peakOwn()), r.ownSource(), Reports.bytes(r.workerPeakBytes()),
                    Long.toString(r.failures()),
                    r.aborted() != null ? "ABORTED" : !r.verified() ? "not checked"
                            : Long.toString(r.corruptBlocks() + r.contractErrors())});
        }
        return rows;
    }

    static List<String[]> time(Report report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"strategy", "time ms (median)", "min..max ms", "runs", "loop ms", "net ns/event"});
        for (ReplayResult r : report.results()) {
            ReplayResult.Spread runs = r.runs();
            ReplayResult.Spread loop = r.loop();
            double net = r.netNanosPerEvent();
            rows.add(new String[] {r.strategy(), Reports.millis(runs.median()),
                    runs.count() == 0 ? "n/a" : Reports.millis(runs.min()) + ".." + Reports.millis(runs.max()),
                    Integer.toString(runs.count()), Reports.millis(loop.median()),
                    runs.count() == 0 ? "n/a" : Double.isNaN(net) ? "below loop cost" : Reports.decimal(net, 1)});
        }
        return rows;
    }

    static List<String[]> latency(Report report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"strategy", "op", "calls", "p50 ns", "p99 ns", "p99.9 ns", "max ns", "timer ns"});
        for (ReplayResult r : report.results()) {
            Latencies.Summary l = r.latency();
            row(rows, r.strategy(), "alloc", l.alloc(), l.timerNanos());
            row(rows, "", "free", l.free(), l.timerNanos());
            row(rows, "", "realloc", l.realloc(), l.timerNanos());
        }
        return rows;
    }

    private static void row(List<String[]> rows, String strategy, String op, Latencies.Percentiles p, long timer) {
        if (p.count() == 0) {
            rows.add(new String[] {strategy, op, "0", "", "", "", "", ""});
            return;
        }
        rows.add(new String[] {strategy, op, Reports.count(p.count()), Reports.count(p.p50()), Reports.count(p.p99()),
                Reports.count(p.p999()), Reports.count(p.max()), Long.toString(timer)});
    }

    private static void text(PrintStream out, List<String[]> rows) {
        int columns = rows.getFirst().length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = rows.get(r)[c];
                boolean left = c == 0 || rows.getFirst()[c].contains("source") || rows.getFirst()[c].equals("op");
                String pad = " ".repeat(widths[c] - cell.length());
                line.append(c == 0 ? "" : "  ").append(left ? cell + pad : pad + cell);
            }
            String text = line.toString().stripTrailing();
            out.println(text);
            if (r == 0) {
                out.println("-".repeat(text.length()));
            }
        }
    }
}
