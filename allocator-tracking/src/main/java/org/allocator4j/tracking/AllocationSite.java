package org.allocator4j.tracking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where a block was allocated (or freed): the caller's stack frames, innermost first, with the frames of
 * this module's allocation path and of {@code org.allocator4j.api} left out.
 *
 * <p>Two sites are equal when their frames are, so leaks group by site.
 *
 * @implNote Capturing a site records the stack as the JVM keeps it (a {@link Throwable}'s backtrace:
 * method ids and bytecode indices, about a microsecond); the frames are decoded into
 * {@link StackTraceElement}s only when a report, {@link #equals} or {@link #frames()} needs them.
 */
public final class AllocationSite {
    /** The most frames a site keeps. */
    public static final int MAX_FRAMES = 12;

    private static final String API_PACKAGE = "org.allocator4j.api.";
    /** The classes of this module on an allocation's path (by name, so tests in this package count as callers). */
    private static final List<String> INTERNAL = List.of(AllocationSite.class.getName(),
            TrackingGlobalAllocator.class.getName(), ScopeAllocator.class.getName(), CheckedBlocks.class.getName());

    private final String thread;
    private Throwable backtrace;              // until decoded; guarded by this
    private volatile List<StackTraceElement> frames;

    /**
     * Creates a site from frames already decoded.
     *
     * @param thread the name of the thread that made the call
     * @param frames the caller's frames, innermost first (only the first {@value #MAX_FRAMES} are kept)
     */
    public AllocationSite(String thread, List<StackTraceElement> frames) {
        this.thread = thread;
        this.frames = List.copyOf(frames.subList(0, Math.min(MAX_FRAMES, frames.size())));
    }

    private AllocationSite(String thread, Throwable backtrace) {
        this.thread = thread;
        this.backtrace = backtrace;
    }

    /** {@return the site of the current call} Cheap: the frames are decoded later, if ever. */
    static AllocationSite capture() {
        return new AllocationSite(Thread.currentThread().getName(), new Throwable("allocation site"));
    }

    /** {@return the name of the thread that made the call} */
    public String thread() {
        return thread;
    }

    /** {@return the caller's frames, innermost first, at most {@value #MAX_FRAMES}} */
    public List<StackTraceElement> frames() {
        List<StackTraceElement> decoded = frames;
        if (decoded == null) {
            synchronized (this) {
                decoded = frames;
                if (decoded == null) {
                    decoded = decode(backtrace.getStackTrace());
                    frames = decoded;
                    backtrace = null;
                }
            }
        }
        return decoded;
    }

    private static List<StackTraceElement> decode(StackTraceElement[] trace) {
        int first = 0;
        while (first < trace.length && isInternal(trace[first].getClassName())) {
            first++;
        }
        return new ArrayList<>(Arrays.asList(trace).subList(first, Math.min(trace.length, first + MAX_FRAMES)))
                .stream().toList();
    }

    private static boolean isInternal(String className) {
        if (className.startsWith(API_PACKAGE)) {
            return true;
        }
        for (String internal : INTERNAL) {
            if (className.startsWith(internal)) {
                return true;
            }
        }
        return false;
    }

    /** {@return the innermost caller frame, or {@code "<unknown>"}} */
    public String caller() {
        List<StackTraceElement> f = frames();
        return f.isEmpty() ? "<unknown>" : f.get(0).toString();
    }

    /** {@return the frames, one {@code "\tat frame"} line each, as a stack trace prints them} */
    public String stackTrace() {
        return frames().stream().map(f -> "\tat " + f).collect(Collectors.joining("\n"));
    }

    @Override
    public boolean equals(Object o) {
        // Grouping is by code location; the thread name is informative only.
        return o instanceof AllocationSite s && frames().equals(s.frames());
    }

    @Override
    public int hashCode() {
        return frames().hashCode();
    }

    @Override
    public String toString() {
        return caller() + " [thread " + thread + "]";
    }
}
