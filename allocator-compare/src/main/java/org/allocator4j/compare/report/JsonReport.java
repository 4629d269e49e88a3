package org.allocator4j.compare.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.allocator4j.compare.Settings;
import org.allocator4j.compare.input.Trace;
import org.allocator4j.compare.input.TraceSummary;
import org.allocator4j.compare.replay.ReplayResult;
import org.allocator4j.compare.strategy.StrategyRegistry;

/** The results as JSON, for machines: the trace's summary, then one object per strategy with its samples. */
public final class JsonReport {
    private final StringBuilder json = new StringBuilder();

    private JsonReport() {
    }

    public static void write(Path path, Trace trace, TraceSummary summary, List<ReplayResult> results,
                      List<StrategyRegistry.Skipped> skipped, Settings settings) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(path, render(trace, summary, results, skipped, settings));
    }

    public static String render(Trace trace, TraceSummary summary, List<ReplayResult> results,
                         List<StrategyRegistry.Skipped> skipped, Settings settings) {
        JsonReport r = new JsonReport();
        StringBuilder j = r.json;
        j.append("{\n  \"tool\": \"allocator4j compare\",\n");
        j.append("  \"date\": ").append(quote(Instant.now().toString())).append(",\n");
        j.append("  \"java\": ").append(quote(System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version"))).append(",\n");
        j.append("  \"os\": ").append(quote(System.getProperty("os.name") + " " + System.getProperty("os.arch")))
                .append(",\n");
        j.append("  \"processors\": ").append(Runtime.getRuntime().availableProcessors()).append(",\n");
        j.append("  \"verify\": ").append(settings.verify()).append(",\n");
        j.append("  \"trace\": {\"name\": ").append(quote(trace.name()))
                .append(", \"events\": ").append(summary.events())
                .append(", \"allocs\": ").append(summary.allocs())
                .append(", \"frees\": ").append(summary.frees())
                .append(", \"reallocs\": ").append(summary.reallocs())
                .append(", \"allocatedBytes\": ").append(summary.allocatedBytes())
                .append(", \"peakLiveBytes\": ").append(summary.peakLiveBytes())
                .append(", \"unknownFrees\": ").append(summary.unknownFrees())
                .append(", \"unknownReallocs\": ").append(summary.unknownReallocs())
                .append(", \"liveAtEnd\": ").append(summary.liveAtEnd())
                .append(", \"readerNotes\": {");
        String sep = "";
        for (Map.Entry<String, Long> note : trace.notes().entrySet()) {
            j.append(sep).append(quote(note.getKey())).append(": ").append(note.getValue());
            sep = ", ";
        }
        j.append("}},\n  \"results\": [");
        sep = "\n";
        for (ReplayResult x : results) {
            j.append(sep).append("    {\"strategy\": ").append(quote(x.strategy()))
                    .append(", \"kind\": ").append(quote(x.kind()))
                    .append(", \"footprintSource\": ").append(quote(x.footprintSource()))
                    .append(", \"aborted\": ").append(x.aborted() == null ? "null" : quote(x.aborted()))
                    .append(",\n     \"events\": ").append(x.events())
                    .append(", \"wallNanos\": ").append(x.wallNanos())
                    .append(", \"callNanos\": ").append(x.callNanos())
                    .append(", \"calls\": ").append(x.calls())
                    .append(", \"nanosPerCall\": ").append(number(x.nanosPerCall()))
                    .append(",\n     \"peakLiveBytes\": ").append(x.peakLiveBytes())
                    .append(", \"peakFootprintBytes\": ").append(x.hasFootprint() ? Long.toString(x.peakFootprint()) : "null")
                    .append(", \"footprintRatio\": ").append(number(x.footprintRatio()))
                    .append(", \"fragmentation\": ").append(number(x.fragmentation()))
                    .append(", \"retainedBytes\": ").append(x.retainedBytes() < 0 ? "null" : Long.toString(x.retainedBytes()))
                    .append(",\n     \"failures\": ").append(x.failures())
                    .append(", \"corruptBlocks\": ").append(x.corruptBlocks())
                    .append(", \"contractErrors\": ").append(x.contractErrors())
                    .append(", \"unknownFrees\": ").append(x.unknownFrees())
                    .append(", \"unknownReallocs\": ").append(x.unknownReallocs())
                    .append(", \"liveAtEnd\": ").append(x.liveAtEnd())
                    .append(",\n     \"problems\": [");
            String psep = "";
            for (String p : x.problems()) {
                j.append(psep).append(quote(p));
                psep = ", ";
            }
            j.append("],\n     \"samples\": {\"event\": ");
            r.array(x.sampleEvents());
            j.append(",\n                 \"liveBytes\": ");
            r.array(x.sampleLive());
            j.append(",\n                 \"footprintBytes\": ");
            if (x.hasFootprint()) {
                r.array(x.sampleFootprint());
            } else {
                j.append("null");
            }
            j.append("}}");
            sep = ",\n";
        }
        j.append("\n  ],\n  \"skipped\": [");
        sep = "";
        for (StrategyRegistry.Skipped s : skipped) {
            j.append(sep).append("{\"strategy\": ").append(quote(s.name())).append(", \"reason\": ")
                    .append(quote(s.reason())).append('}');
            sep = ", ";
        }
        j.append("]\n}\n");
        return j.toString();
    }

    private void array(long[] values) {
        json.append('[');
        for (int i = 0; i < values.length; i++) {
            json.append(i == 0 ? "" : ",").append(values[i]);
        }
        json.append(']');
    }

    private static String number(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "null" : Double.toString(value);
    }

    /** {@return {@code text} as a JSON string literal} */
    public static String quote(String text) {
        StringBuilder q = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
