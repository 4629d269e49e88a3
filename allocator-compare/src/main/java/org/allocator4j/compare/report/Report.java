package org.allocator4j.compare.report;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.allocator4j.compare.Settings;
import org.allocator4j.compare.footprint.GlibcMalloc;
import org.allocator4j.compare.input.TraceSummary;
import org.allocator4j.compare.replay.ReplayResult;
import org.allocator4j.compare.strategy.StrategyRegistry;

/**
 * Everything the reports show of one run of compare: the trace, the settings, the machine and the results.
 *
 * @param traceName     where the trace came from
 * @param traceLine     the trace's summary in one line (events by kind, bytes, peak live)
 * @param notes         what the reader and the summary noticed (anomalies), one line each
 * @param events        events in the trace
 * @param peakLiveBytes the most bytes live at once
 * @param sha256        the SHA-256 of the trace file as given, in hex, or "n/a" (a synthetic trace)
 * @param settings      the settings, by name, in the order to show them
 * @param environment   the machine and the library versions
 * @param results       one per strategy, in replay order
 * @param skipped       the strategies that could not be used, and why
 */
public record Report(String traceName, String traceLine, List<String> notes, long events, long peakLiveBytes,
                     String sha256, Map<String, Object> settings, Environment environment,
                     List<ReplayResult> results, List<Skipped> skipped) {

    /** A strategy that could not be replayed, and why. */
    public record Skipped(String name, String reason) {
    }

    /** Checks for nulls and copies the lists. */
    public Report {
        Objects.requireNonNull(traceName, "traceName");
        Objects.requireNonNull(traceLine, "traceLine");
        notes = List.copyOf(notes);
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(environment, "environment");
        results = List.copyOf(results);
        skipped = List.copyOf(skipped);
    }

    /**
     * {@return the report of a run}: the trace's summary line and notes, its file's SHA-256, every setting,
     * this machine
     *
     * @param traceName   the trace's name
     * @param readerNotes what the trace's reader noticed, as counts by description
     */
    public static Report of(String traceName, Map<String, Long> readerNotes, TraceSummary summary,
                            List<ReplayResult> results, List<StrategyRegistry.Skipped> skipped, Settings settings) {
        String line = String.format(Locale.ROOT, "trace %s: %,d events (%,d alloc, %,d free, %,d realloc), %s "
                        + "requested, peak live %s", traceName, summary.events(), summary.allocs(), summary.frees(),
                summary.reallocs(), Reports.bytes(summary.allocatedBytes()), Reports.bytes(summary.peakLiveBytes()));
        List<String> notes = new ArrayList<>();
        if (summary.unknownFrees() + summary.unknownReallocs() + summary.liveAtEnd() > 0) {
            notes.add(String.format(Locale.ROOT, "anomalies: %,d frees of unknown blocks (skipped), %,d reallocs "
                            + "of unknown blocks (allocated), %,d blocks never freed (freed after the replay)",
                    summary.unknownFrees(), summary.unknownReallocs(), summary.liveAtEnd()));
        }
        readerNotes.forEach((note, count) -> notes.add(String.format(Locale.ROOT, "reader: %,d %s", count, note)));
        Map<String, Object> values = new LinkedHashMap<>();
        for (RecordComponent c : Settings.class.getRecordComponents()) {
            try {
                values.put(c.getName(), c.getAccessor().invoke(settings));
            } catch (ReflectiveOperationException e) {
                values.put(c.getName(), "unreadable: " + e);
            }
        }
        List<Skipped> gone = skipped.stream().map(s -> new Skipped(s.name(), s.reason())).toList();
        return new Report(traceName, line, notes, summary.events(), summary.peakLiveBytes(),
                sha256(settings.trace()), values, Environment.current(GlibcMalloc.version()), results, gone);
    }

    /** {@return the SHA-256 of the file {@code trace} names, in hex; "n/a" if it is not a readable file} */
    static String sha256(String trace) {
        Path path;
        try {
            path = Path.of(trace);
        } catch (RuntimeException e) {
            return "n/a";
        }
        if (!Files.isRegularFile(path)) {
            return "n/a";
        }
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            return "n/a (" + e.getMessage() + ")";
        }
    }
}
