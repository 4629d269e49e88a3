package org.allocator4j.compare;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.allocator4j.compare.input.Trace;
import org.allocator4j.compare.input.TraceFiles;
import org.allocator4j.compare.input.TraceSummary;
import org.allocator4j.compare.replay.ReplayResult;
import org.allocator4j.compare.replay.Worker;
import org.allocator4j.compare.replay.WorkerProcesses;
import org.allocator4j.compare.report.ChartReport;
import org.allocator4j.compare.report.JsonReport;
import org.allocator4j.compare.report.Report;
import org.allocator4j.compare.report.TableReport;
import org.allocator4j.compare.strategy.StrategyRegistry;
import org.allocator4j.trace.TraceEvents;
import org.allocator4j.trace.TraceFormat;
import org.allocator4j.trace.TraceFormatException;
import org.allocator4j.trace.Traces;
import picocli.CommandLine;

/**
 * {@code compare}: replays an allocation trace on every strategy and reports, per strategy, time, latency,
 * footprint against live bytes, and failures. See {@link CompareCommand} for the command line and
 * {@link ExitStatus} for what it returns.
 *
 * <p>The trace is never held whole: it is converted, streaming, to a binary trace in a private work
 * directory ({@link WorkerProcesses}), so a malformed one fails before any replay, and summarized in a second
 * streaming pass. Then each strategy replays it in a fresh worker JVM of its own
 * ({@link org.allocator4j.compare.replay.ReplayWorker}, which streams it from the file), one after the
 * other, each killed after the timeout; or, with {@code --in-process}, all in this JVM on this thread.
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

        /** {@return the exit status: not intact, else a worker that failed, else OK} */
        ExitStatus status() {
            if (!intact()) {
                return ExitStatus.NOT_INTACT;
            }
            if (skipped.stream().anyMatch(s -> s.failed() && s.reason().startsWith("out of memory"))) {
                return ExitStatus.OUT_OF_MEMORY;
            }
            return skipped.stream().anyMatch(StrategyRegistry.Skipped::failed) ? ExitStatus.WORKER_FAILED : ExitStatus.OK;
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
            return (outcome == null ? ExitStatus.OK : outcome.status()).code();
        } catch (TraceFormatException | IllegalArgumentException e) {
            out.println("compare: " + e.getMessage());
            return ExitStatus.USAGE.code();
        } catch (FileSystemException e) { // no such file, a directory: the trace named cannot be used
            out.println("compare: " + e.getMessage());
            return ExitStatus.USAGE.code();
        } catch (IOException | UncheckedIOException e) {
            out.println("compare: cannot read or write a file: " + e);
            return ExitStatus.IO.code();
        } catch (OutOfMemoryError e) {
            // Unwound to here, the trace's structures are garbage: there is room again to say what happened.
            out.println("compare: out of memory (" + e.getMessage() + ") with a Java heap of at most "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB; give it more (java -Xmx2g -jar ...), "
                    + "or replay in worker JVMs (without --in-process)");
            return ExitStatus.OUT_OF_MEMORY.code();
        }
    }

    private void replay(WorkerProcesses workers, Path traceFile, List<ReplayResult> results,
                        List<StrategyRegistry.Skipped> skipped) throws IOException {
        List<String> names = settings.strategies().isEmpty() ? StrategyRegistry.names() : settings.strategies();
        List<String> known = StrategyRegistry.names();
        for (String name : names) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("strategy=" + name + " is unknown; expected one of " + known);
            }
        }
        progress.steps(names.size());
        for (String name : names) {
            progress.step(name);
            Object result = settings.fork() ? workers.run(traceFile, name, settings)
                    : Worker.replay(traceFile, name, settings.runs(), settings.samples(), settings.verify(),
                    settings.warmupEvents());
            if (result instanceof ReplayResult r) {
                results.add(r);
            } else {
                StrategyRegistry.Skipped s = (StrategyRegistry.Skipped) result;
                skipped.add(s);
                if (s.failed()) {
                    out.println("compare: " + s.name() + ": " + s.reason());
                }
            }
        }
        progress.stepsDone();
    }

    /**
     * Converts the trace to a binary trace in a work directory (streaming, so a malformed trace fails before
     * any replay), summarizes it in a second streaming pass, replays it on each strategy, and reports.
     *
     * @return the outcome, or null if the trace was only converted
     * @throws TraceFormatException     if the trace is malformed or has no events
     * @throws IllegalArgumentException if a strategy is unknown
     * @throws IOException              if a file cannot be read or written
     */
    public Outcome execute() throws IOException {
        if (settings.convert() != null) {
            Path target = settings.convert();
            Trace header = TraceFiles.convert(settings, target, progress);
            TraceSummary summary;
            try (TraceEvents events = Traces.open(target)) {
                summary = TraceSummary.of(events);
            }
            out.printf("wrote %,d events of %s to %s%n", summary.events(), header.name(), target);
            return null;
        }
        try (WorkerProcesses workers = WorkerProcesses.open()) {
            Path traceFile = workers.directory().resolve("trace" + TraceFormat.SUFFIX);
            Trace header = TraceFiles.convert(settings, traceFile, progress);
            TraceSummary summary;
            try (TraceEvents events = Traces.open(traceFile)) {
                summary = TraceSummary.of(events);
            }
            if (summary.events() == 0) {
                throw TraceFormatException.atOffset(header.name(), 0, "at least one allocation event",
                        "a trace without events (an empty file, or only mtrace's '= Start' and '= End'?)");
            }
            List<ReplayResult> results = new ArrayList<>();
            List<StrategyRegistry.Skipped> skipped = new ArrayList<>();
            replay(workers, traceFile, results, skipped);
            Outcome outcome = new Outcome(header, summary, results, skipped);
            Report report = Report.of(header.name(), header.notes(), summary, results, skipped, settings);
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
}
