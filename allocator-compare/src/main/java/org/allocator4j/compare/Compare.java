package org.allocator4j.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine;

import org.allocator4j.trace.TraceFormat;
import org.allocator4j.compare.input.Trace;
import org.allocator4j.compare.input.TraceSummary;
import org.allocator4j.compare.replay.ReplayResult;
import org.allocator4j.compare.input.TraceFiles;
import org.allocator4j.compare.replay.ReplayWorker;
import org.allocator4j.compare.replay.Worker;
import org.allocator4j.compare.strategy.StrategyRegistry;
import org.allocator4j.trace.TraceFormatException;
import org.allocator4j.compare.report.ChartReport;
import org.allocator4j.compare.report.JsonReport;
import org.allocator4j.compare.report.Report;
import org.allocator4j.compare.report.TableReport;

/**
 * {@code compare}: replays an allocation trace on every strategy and reports, per strategy, time, peak live
 * bytes, peak footprint (bytes held from the OS or the parent), footprint ratio, fragmentation and failures,
 * with every block's contents checked before it is freed. See {@link CompareCommand} for the command line.
 *
 * <p>The trace is read whole first, so a malformed one fails before any replay. Then each strategy replays
 * it in a fresh JVM of its own ({@link ReplayWorker}, which reads it back from a binary trace file), one
 * after the other; or, with {@code --in-process}, all in this JVM on this thread. Either way, unless
 * disabled, a warm-up first replays a prefix of the trace on the Java heap, to compile the replay code
 * without leaving memory in any measured allocator.
 */
public final class Compare {
    private final Settings settings;
    private final PrintStream out;
    private final Progress progress;

    /** What a run produced. */
    public record Outcome(Trace trace, TraceSummary summary, List<ReplayResult> results,
                   List<StrategyRegistry.Skipped> skipped) {
        /** {@return whether every replay was intact: no corruption, no contract error, none aborted} */
        boolean intact() {
            return results.stream().allMatch(ReplayResult::intact);
        }
    }

    Compare(Settings settings, PrintStream out, Progress progress) {
        this.settings = settings;
        this.out = out;
        this.progress = progress;
    }

    /**
     * Runs {@code compare} with command-line arguments and returns the process exit status
     * ({@link ExitStatus}): 0 when every replay was intact, 2 for a bad command line or trace, and so on.
     *
     * @param args {@code <trace> [options]}, see {@link CompareCommand}
     * @param out  where the table and messages go
     */
    public static int run(String[] args, PrintStream out) {
        CommandLine line = CompareCommand.commandLine();
        Settings settings;
        try {
            line.parseArgs(args);
            if (line.isUsageHelpRequested() || args.length == 0) {
                out.print(line.getUsageMessage(CommandLine.Help.Ansi.OFF));
                return args.length == 0 ? ExitStatus.USAGE.code() : ExitStatus.OK.code();
            }
            if (line.isVersionHelpRequested()) {
                line.printVersionHelp(out, CommandLine.Help.Ansi.OFF);
                return ExitStatus.OK.code();
            }
            settings = ((CompareCommand) line.getCommand()).settings();
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            out.println("compare: " + e.getMessage());
            out.println("compare: see compare --help for the options");
            return ExitStatus.USAGE.code();
        }
        return run(settings, out);
    }

    /** Runs {@code compare} with {@code settings}; see {@link #run(String[], PrintStream)} for the status. */
    public static int run(Settings settings, PrintStream out) {
        try {
            Outcome outcome = new Compare(settings, out, Progress.forConsole()).execute();
            return (outcome == null || outcome.intact() ? ExitStatus.OK : ExitStatus.NOT_INTACT).code();
        } catch (TraceFormatException | IllegalArgumentException e) {
            out.println("compare: " + e.getMessage());
            return ExitStatus.USAGE.code();
        } catch (FileSystemException e) { // no such file, a directory: the trace named cannot be used
            out.println("compare: " + e.getMessage());
            return ExitStatus.USAGE.code();
        } catch (IOException e) {
            out.println("compare: cannot read or write a file: " + e);
            return ExitStatus.IO.code();
        }
    }

    private void replayForked(Trace trace, List<ReplayResult> results, List<StrategyRegistry.Skipped> skipped)
            throws IOException {
        List<String> names = settings.strategies().isEmpty() ? StrategyRegistry.names() : settings.strategies();
        List<String> known = StrategyRegistry.names();
        for (String name : names) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("strategy=" + name + " is unknown; expected one of " + known);
            }
        }
        Path traceFile = Files.createTempFile("allocator4j-compare-", TraceFormat.SUFFIX);
        try {
            TraceFiles.write(trace, traceFile);
            for (String name : names) {
                Object result = settings.fork() ? ReplayWorker.run(traceFile, name, settings)
                        : Worker.replay(traceFile, name, settings.runs(), settings.samples(), settings.verify(),
                        settings.warmupEvents());
                if (result instanceof ReplayResult r) {
                    results.add(r);
                } else {
                    skipped.add((StrategyRegistry.Skipped) result);
                }
            }
        } finally {
            Files.deleteIfExists(traceFile);
        }
    }

    /** {@return the outcome}, or null if the trace was only converted */
    public Outcome execute() throws IOException {
        Trace trace = TraceFiles.load(settings, progress);
        if (settings.convert() != null) {
            TraceFiles.write(trace, settings.convert());
            out.printf("wrote %,d events of %s to %s%n", trace.length(), trace.name(), settings.convert());
            return null;
        }
        TraceSummary summary = TraceSummary.of(trace);
        List<ReplayResult> results = new ArrayList<>();
        List<StrategyRegistry.Skipped> skipped = new ArrayList<>();
        replayForked(trace, results, skipped);
        Outcome outcome = new Outcome(trace, summary, results, skipped);
        Report report = Report.of(trace.name(), trace.notes(), summary, results, skipped, settings);
        TableReport.print(out, report);
        if (settings.json() != null) {
            JsonReport.write(settings.json(), report);
            out.println("wrote " + settings.json());
        }
        if (settings.chart() != null) {
            ChartReport.write(settings.chart(), report);
            out.println("wrote " + settings.chart() + " (open it in a browser)");
        }
        return outcome;
    }
}
