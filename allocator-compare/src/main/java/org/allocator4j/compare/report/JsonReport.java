package org.allocator4j.compare.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.Writer;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;

import org.allocator4j.compare.replay.Latencies;
import org.allocator4j.compare.replay.ReplayResult;

/**
 * The results as JSON, for machines, written with jackson-core's streaming generator: the tool's settings,
 * the machine and library versions, the trace (with its SHA-256), what each measure is, then one object per
 * strategy with its runs, latencies, footprint samples and own figure.
 */
public final class JsonReport {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonReport() {
    }

    /** Writes {@code report} to the file {@code path}, creating its directory. */
    public static void write(Path path, Report report) throws IOException {
        Reports.createParent(path);
        try (Writer out = Files.newBufferedWriter(path)) {
            write(out, report);
        }
    }

    /** Writes {@code report} to {@code out}. */
    static void write(Writer out, Report report) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter().withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)));
            g.writeStartObject();
            g.writeStringField("tool", "allocator4j compare");
            g.writeStringField("date", Instant.now().toString());
            g.writeObjectFieldStart("settings");
            for (var e : report.settings().entrySet()) {
                g.writeFieldName(e.getKey());
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
            Environment env = report.environment();
            g.writeObjectFieldStart("machine");
            g.writeStringField("os", env.os());
            g.writeStringField("cpuModel", env.cpuModel());
            g.writeNumberField("cores", env.cores());
            g.writeNumberField("memoryBytes", env.memoryBytes());
            g.writeEndObject();
            g.writeObjectFieldStart("versions");
            g.writeStringField("jdk", env.jdk());
            g.writeStringField("glibc", env.glibc());
            for (ReplayResult r : report.results()) {
                if (!r.version().isEmpty() && !r.strategy().equals("system")) {
                    g.writeStringField(r.strategy(), r.version());
                }
            }
            g.writeEndObject();
            g.writeObjectFieldStart("trace");
            g.writeStringField("name", report.traceName());
            g.writeStringField("sha256", report.sha256());
            g.writeNumberField("events", report.events());
            g.writeNumberField("peakLiveBytes", report.peakLiveBytes());
            g.writeStringField("summary", report.traceLine());
            g.writeArrayFieldStart("notes");
            for (String note : report.notes()) {
                g.writeString(note);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeObjectFieldStart("measures");
            g.writeStringField("footprint", Measures.FOOTPRINT);
            g.writeStringField("own", Measures.OWN);
            g.writeStringField("time", Measures.TIME);
            g.writeStringField("latency", Measures.LATENCY);
            g.writeEndObject();
            g.writeArrayFieldStart("results");
            for (ReplayResult r : report.results()) {
                result(g, r);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("skipped");
            for (Report.Skipped s : report.skipped()) {
                g.writeStartObject();
                g.writeStringField("strategy", s.name());
                g.writeStringField("reason", s.reason());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static void result(JsonGenerator g, ReplayResult r) throws IOException {
        g.writeStartObject();
        g.writeStringField("strategy", r.strategy());
        g.writeStringField("kind", r.kind());
        g.writeStringField("version", r.version());
        g.writeStringField("aborted", r.aborted());
        g.writeNumberField("events", r.events());
        g.writeStringField("warmup", r.warmup());

        g.writeObjectFieldStart("time");
        ReplayResult.Spread runs = r.runs();
        ReplayResult.Spread loop = r.loop();
        g.writeFieldName("runsNanos");
        array(g, r.runNanos());
        number(g, "medianNanos", runs.median());
        g.writeNumberField("minNanos", runs.min());
        g.writeNumberField("maxNanos", runs.max());
        g.writeFieldName("loopNanos");
        array(g, r.loopNanos());
        number(g, "loopMedianNanos", loop.median());
        number(g, "netNanosPerEvent", r.netNanosPerEvent());
        g.writeEndObject();

        g.writeObjectFieldStart("latency");
        Latencies.Summary l = r.latency();
        percentiles(g, "alloc", l.alloc());
        percentiles(g, "free", l.free());
        percentiles(g, "realloc", l.realloc());
        g.writeNumberField("timerNanos", l.timerNanos());
        g.writeEndObject();

        g.writeObjectFieldStart("footprint");
        g.writeStringField("source", r.residentSource());
        g.writeNumberField("baselineBytes", r.baselineResident());
        g.writeNumberField("peakBytes", r.peakResident());
        g.writeNumberField("retainedBytes", r.retainedResident());
        g.writeNumberField("peakLiveBytes", r.peakLiveBytes());
        number(g, "ratio", r.footprintRatio());
        g.writeNumberField("workerPeakResidentBytes", r.workerPeakBytes());
        g.writeFieldName("sampleEvents");
        array(g, r.sampleEvents());
        g.writeFieldName("sampleLiveBytes");
        array(g, r.sampleLive());
        g.writeFieldName("sampleBytes");
        array(g, r.sampleResident());
        g.writeEndObject();

        g.writeObjectFieldStart("own");
        g.writeStringField("source", r.ownSource());
        if (r.sampleOwn() == null) {
            g.writeNullField("peakBytes");
            g.writeNullField("sampleBytes");
        } else {
            g.writeNumberField("peakBytes", r.peakOwn());
            g.writeFieldName("sampleBytes");
            array(g, r.sampleOwn());
        }
        g.writeEndObject();

        g.writeObjectFieldStart("integrity");
        g.writeBooleanField("verified", r.verified());
        g.writeNumberField("failures", r.failures());
        g.writeNumberField("corruptBlocks", r.corruptBlocks());
        g.writeNumberField("contractErrors", r.contractErrors());
        g.writeNumberField("unknownFrees", r.unknownFrees());
        g.writeNumberField("unknownReallocs", r.unknownReallocs());
        g.writeNumberField("liveAtEnd", r.liveAtEnd());
        g.writeArrayFieldStart("problems");
        for (String p : r.problems()) {
            g.writeString(p);
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void percentiles(JsonGenerator g, String name, Latencies.Percentiles p) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("count", p.count());
        g.writeNumberField("p50", p.p50());
        g.writeNumberField("p99", p.p99());
        g.writeNumberField("p999", p.p999());
        g.writeNumberField("max", p.max());
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, String name, double value) throws IOException {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value);
        }
    }

    private static void array(JsonGenerator g, long[] values) throws IOException {
        g.writeArray(values, 0, values.length);
    }

    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case java.nio.file.Path path -> g.writeString(path.toString()); // a Path is an Iterable of Paths
            case Iterable<?> list -> {
                g.writeStartArray();
                for (Object o : list) {
                    writeValue(g, o);
                }
                g.writeEndArray();
            }
            default -> g.writeString(value.toString());
        }
    }
}
