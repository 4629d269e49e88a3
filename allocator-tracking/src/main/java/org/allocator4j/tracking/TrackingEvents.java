package org.allocator4j.tracking;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.Layout;

/**
 * The JFR events of tracking allocators, and where they are emitted. Event names:
 * <ul>
 *   <li>{@value #FAILURE}: a request failed (enabled by default, with a stack trace);</li>
 *   <li>{@value #BUDGET}: a budget refused a request (enabled, with a stack trace);</li>
 *   <li>{@value #LEAKS}: live blocks were found where none should be (a scope closed, a test ended);</li>
 *   <li>{@value #SUMMARY}: every tracking allocator's statistics, periodically (every 10 s by default);</li>
 *   <li>{@value #ALLOCATION}: every allocation, free and reallocation: <b>disabled by default</b>; turn on
 *       with {@code jfr configure} or {@code -XX:StartFlightRecording:...,settings=<file>} setting
 *       {@code org.allocator4j.Allocation#enabled=true}.</li>
 * </ul>
 */
final class TrackingEvents {
    static final String FAILURE = "org.allocator4j.AllocationFailure";
    static final String BUDGET = "org.allocator4j.BudgetExceeded";
    static final String LEAKS = "org.allocator4j.LeaksFound";
    static final String SUMMARY = "org.allocator4j.TrackingSummary";
    static final String ALLOCATION = "org.allocator4j.Allocation";

    /** Live tracking allocators, for the summary event; weak so an unclosed one can still be collected. */
    private static final Map<TrackingGlobalAllocator, Boolean> TRACKED =
            Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * Whether Flight Recorder is initialized in this JVM. Until it is, no event class is touched: loading
     * JFR's event machinery costs a few hundred milliseconds, which a tracker must not add to start-up.
     * Set by the listener below; a plain volatile read on every emission.
     */
    private static volatile boolean recorder;

    static {
        // Cheap (no JFR initialisation); called at once if the recorder is already initialized.
        FlightRecorder.addListener(new FlightRecorderListener() {
            @Override
            public void recorderInitialized(FlightRecorder flightRecorder) {
                FlightRecorder.addPeriodicEvent(SummaryEvent.class, TrackingEvents::emitSummaries);
                recorder = true;
            }
        });
    }

    private TrackingEvents() {
    }

    @Name(FAILURE)
    @Label("Allocation Failure")
    @Category({"allocator4j"})
    @Description("A tracking allocator's request failed")
    static final class FailureEvent extends Event {
        @Label("Allocator") String allocator;
        @Label("Size") @DataAmount long size;
        @Label("Alignment") long alignment;
        @Label("Reason") String reason;
    }

    @Name(BUDGET)
    @Label("Budget Exceeded")
    @Category({"allocator4j"})
    @Description("A byte budget refused a request")
    static final class BudgetEvent extends Event {
        @Label("Allocator") String allocator;
        @Label("Budget") String budget;
        @Label("Limit") @DataAmount long limit;
        @Label("Used") @DataAmount long used;
        @Label("Requested") @DataAmount long requested;
    }

    @Name(LEAKS)
    @Label("Leaks Found")
    @Category({"allocator4j"})
    @Description("Live blocks found where none should be")
    @StackTrace(false)
    static final class LeaksEvent extends Event {
        @Label("Allocator") String allocator;
        @Label("Live Blocks") long liveBlocks;
        @Label("Live Bytes") @DataAmount long liveBytes;
        @Label("Sites") int sites;
        @Label("Report") String report;
    }

    @Name(SUMMARY)
    @Label("Tracking Summary")
    @Category({"allocator4j"})
    @Description("A tracking allocator's statistics")
    @Period("10 s")
    @StackTrace(false)
    static final class SummaryEvent extends Event {
        @Label("Allocator") String allocator;
        @Label("Allocations") long allocations;
        @Label("Deallocations") long deallocations;
        @Label("Reallocations") long reallocations;
        @Label("Failures") long failures;
        @Label("Bytes Allocated") @DataAmount long bytesAllocated;
        @Label("Live Bytes") @DataAmount long liveBytes;
        @Label("Peak Live Bytes") @DataAmount long peakLiveBytes;
    }

    @Name(ALLOCATION)
    @Label("Allocation")
    @Category({"allocator4j"})
    @Description("One allocation, free or reallocation of a tracking allocator")
    @Enabled(false)
    @StackTrace(false)
    static final class AllocationEvent extends Event {
        @Label("Allocator") String allocator;
        @Label("Operation") String operation;
        @Label("Address") long address;
        @Label("Size") @DataAmount long size;
        @Label("Alignment") long alignment;
    }

    static void register(TrackingGlobalAllocator allocator) {
        TRACKED.put(allocator, Boolean.TRUE);
    }

    static void unregister(TrackingGlobalAllocator allocator) {
        TRACKED.remove(allocator);
    }

    private static void emitSummaries() {
        List<TrackingGlobalAllocator> allocators;
        synchronized (TRACKED) {
            allocators = new ArrayList<>(TRACKED.keySet());
        }
        for (TrackingGlobalAllocator allocator : allocators) {
            Snapshot s = allocator.snapshot();
            SummaryEvent event = new SummaryEvent();
            event.allocator = allocator.name();
            event.allocations = s.allocations();
            event.deallocations = s.deallocations();
            event.reallocations = s.reallocations();
            event.failures = s.failures();
            event.bytesAllocated = s.bytesAllocated();
            event.liveBytes = s.liveBytes();
            event.peakLiveBytes = s.peakLiveBytes();
            event.commit();
        }
    }

    /** Emits an {@value #ALLOCATION} event if enabled: a load and a branch or two when it is not. */
    static void allocation(String allocator, String operation, long address, Layout layout) {
        if (!recorder) {
            return;
        }
        AllocationEvent event = new AllocationEvent();
        if (event.shouldCommit()) {
            event.allocator = allocator;
            event.operation = operation;
            event.address = address;
            event.size = layout.size();
            event.alignment = layout.alignment();
            event.commit();
        }
    }

    static void failure(String allocator, Layout layout, AllocationException failure) {
        if (!recorder) {
            return;
        }
        FailureEvent event = new FailureEvent();
        if (event.shouldCommit()) {
            event.allocator = allocator;
            event.size = layout.size();
            event.alignment = layout.alignment();
            event.reason = failure.getMessage();
            event.commit();
        }
    }

    static void budgetExceeded(String allocator, String budget, long limit, long used, long requested) {
        if (!recorder) {
            return;
        }
        BudgetEvent event = new BudgetEvent();
        if (event.shouldCommit()) {
            event.allocator = allocator;
            event.budget = budget;
            event.limit = limit;
            event.used = used;
            event.requested = requested;
            event.commit();
        }
    }

    static void leaksFound(LeakReport report) {
        if (!recorder) {
            return;
        }
        LeaksEvent event = new LeaksEvent();
        if (event.shouldCommit()) {
            event.allocator = report.allocatorName();
            event.liveBlocks = report.liveBlocks();
            event.liveBytes = report.liveBytes();
            event.sites = report.leaks().size();
            event.report = report.format();
            event.commit();
        }
    }
}
