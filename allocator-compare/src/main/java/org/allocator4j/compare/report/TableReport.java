package org.allocator4j.compare.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.allocator4j.compare.input.Trace;
import org.allocator4j.compare.input.TraceSummary;
import org.allocator4j.compare.replay.ReplayResult;
import org.allocator4j.compare.strategy.StrategyRegistry;

/** The terminal table: one row per strategy, then the skipped strategies and the problems found. */
public final class TableReport {
    private static final String[] HEADER = {"strategy", "time ms", "ns/call", "peak live", "peak footprint",
            "ratio", "frag", "retained", "failures", "corrupt", "footprint source"};

    private TableReport() {
    }

    public static void print(PrintStream out, Trace trace, TraceSummary summary, List<ReplayResult> results,
                      List<StrategyRegistry.Skipped> skipped) {
        out.printf("trace %s: %,d events (%,d alloc, %,d free, %,d realloc), %s requested, peak live %s%n",
                trace.name(), summary.events(), summary.allocs(), summary.frees(), summary.reallocs(),
                Reports.bytes(summary.allocatedBytes()), Reports.bytes(summary.peakLiveBytes()));
        if (summary.unknownFrees() + summary.unknownReallocs() + summary.liveAtEnd() > 0) {
            out.printf("  anomalies: %,d frees of unknown blocks (skipped), %,d reallocs of unknown blocks "
                            + "(allocated), %,d blocks never freed (freed after the replay)%n",
                    summary.unknownFrees(), summary.unknownReallocs(), summary.liveAtEnd());
        }
        for (Map.Entry<String, Long> note : trace.notes().entrySet()) {
            out.printf("  reader: %,d %s%n", note.getValue(), note.getKey());
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ReplayResult r : results) {
            rows.add(new String[] {
                    r.strategy(),
                    Reports.decimal(r.wallNanos() / 1e6, 1),
                    Reports.decimal(r.nanosPerCall(), 1),
                    Reports.bytes(r.peakLiveBytes()),
                    Reports.bytes(r.peakFootprint()),
                    Reports.decimal(r.footprintRatio(), 2),
                    Reports.percent(r.fragmentation()),
                    Reports.bytes(r.retainedBytes()),
                    Long.toString(r.failures()),
                    r.intact() ? "0" : r.aborted() != null ? "ABORTED" : Long.toString(r.corruptBlocks() + r.contractErrors()),
                    r.footprintSource()});
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < HEADER.length; c++) {
                String cell = rows.get(r)[c];
                boolean left = c == 0 || c == HEADER.length - 1;
                String pad = " ".repeat(widths[c] - cell.length());
                line.append(c == 0 ? "" : "  ").append(left ? cell + pad : pad + cell);
            }
            out.println(line.toString().stripTrailing());
            if (r == 0) {
                out.println("-".repeat(line.toString().stripTrailing().length()));
            }
        }
        for (StrategyRegistry.Skipped s : skipped) {
            out.printf("skipped %s: %s%n", s.name(), s.reason());
        }
        for (ReplayResult r : results) {
            if (r.aborted() != null) {
                out.printf("%s: replay ABORTED %s%n", r.strategy(), r.aborted());
            }
            for (String problem : r.problems()) {
                out.printf("%s: %s%n", r.strategy(), problem);
            }
        }
        out.println("time: the replay loop (integrity fill and check included, footprint sampling excluded); "
                + "ns/call: inside allocate/reallocate/deallocate.");
        out.println("ratio: peak footprint / peak live; frag: mean share of the footprint not live; "
                + "retained: footprint after every block was freed.");
    }
}
