package org.allocator4j.tracking;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Where a block was allocated (or freed): the caller's stack frames, outermost last, with the frames of
 * this module and of {@code org.allocator4j.api} left out.
 *
 * <p>Two sites are equal when their frames are, so leaks group by site.
 *
 * @param thread the name of the thread that made the call
 * @param frames the caller's frames, innermost first, at most {@value #MAX_FRAMES}
 */
public record AllocationSite(String thread, List<StackTraceElement> frames) {
    /** The most frames a site keeps. */
    public static final int MAX_FRAMES = 12;

    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final String API_PACKAGE = "org.allocator4j.api.";
    /** The classes of this module on an allocation's path (by name, so tests in this package count as callers). */
    private static final List<String> INTERNAL = List.of(AllocationSite.class.getName(),
            TrackingGlobalAllocator.class.getName(), ScopeAllocator.class.getName(), CheckedBlocks.class.getName());

    /** Copies the frames. */
    public AllocationSite {
        frames = List.copyOf(frames);
    }

    /** {@return the site of the current call, outside this module and the API} About a microsecond. */
    static AllocationSite capture() {
        List<StackTraceElement> frames = WALKER.walk(s -> s
                .dropWhile(f -> isInternal(f.getClassName()))
                .limit(MAX_FRAMES)
                .map(StackWalker.StackFrame::toStackTraceElement)
                .toList());
        return new AllocationSite(Thread.currentThread().getName(), frames);
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
        return frames.isEmpty() ? "<unknown>" : frames.get(0).toString();
    }

    /** {@return the frames, one {@code "\tat frame"} line each, as a stack trace prints them} */
    public String stackTrace() {
        return frames.stream().map(f -> "\tat " + f).collect(Collectors.joining("\n"));
    }

    @Override
    public boolean equals(Object o) {
        // Grouping is by code location; the thread name is informative only.
        return o instanceof AllocationSite s && frames.equals(s.frames);
    }

    @Override
    public int hashCode() {
        return frames.hashCode();
    }

    @Override
    public String toString() {
        return caller() + " [thread " + thread + "]";
    }
}
