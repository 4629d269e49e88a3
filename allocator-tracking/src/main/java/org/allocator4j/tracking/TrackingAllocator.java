package org.allocator4j.tracking;

import java.util.function.Supplier;

import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.GlobalAllocator;

/**
 * A {@link GlobalAllocator} that forwards to an inner allocator and counts, records, checks and caps
 * what passes through: {@link Tracking#wrap(GlobalAllocator)} or {@link Tracking#builder(GlobalAllocator)}.
 *
 * <p>Always on: {@linkplain #snapshot() statistics} (counts, live and peak bytes, a size histogram) and
 * one allocation site in {@link #sampleEvery()} recorded for the {@linkplain #leaks() leak report}.
 * Optional: checked mode, a byte budget with {@linkplain #openScope(String, long) scopes}, listeners, a
 * shutdown report, an MBean, a {@linkplain Tracking.Builder#recordTo(java.nio.file.Path) recorded trace}.
 * JFR events are always available and cost nothing while not recorded.
 *
 * @implSpec Besides the laws of {@link GlobalAllocator} (which hold because the inner allocator keeps
 * them), a tracking allocator keeps these: {@code liveBytes == bytesAllocated - bytesFreed},
 * {@code peakLiveBytes >= liveBytes} and the histogram sums to {@code allocations} in every snapshot taken
 * while no thread is allocating; zero-size requests are answered here (the dangling block) and never
 * forwarded; in checked mode, misuse throws {@link AllocatorMisuseException} and forwards nothing.
 *
 * @implNote Thread-safe. Statistics are striped per thread: a snapshot taken while other threads
 * allocate sums counters that may be a few operations apart.
 */
public interface TrackingAllocator extends GlobalAllocator, AutoCloseable {

    /** {@return the allocator this one forwards to} */
    GlobalAllocator inner();

    /** {@return the statistics now} */
    Snapshot snapshot();

    /**
     * Runs {@code work} and returns what it allocated and freed: the difference of the snapshots after and
     * before, with the peak of live bytes during the work above those at its start (Rust's
     * {@code measure_heap}). Meant for one thread's work: allocations of other threads at the same time
     * are counted too.
     *
     * @param work the work to measure
     * @return the statistics of the work
     */
    Snapshot measure(Runnable work);

    /**
     * As {@link #measure(Runnable)}, for work with a result.
     *
     * @param <T>  the result's type
     * @param work the work to measure
     * @return its result and statistics
     */
    <T> Measurement<T> measure(Supplier<T> work);

    /**
     * {@return the live blocks with recorded sites, grouped by site} In checked mode every block has its
     * site; otherwise one allocation in {@link #sampleEvery()} per thread.
     */
    LeakReport leaks();

    /** {@return 1 in how many allocations has its site recorded: 1 in checked mode, 0 if sampling is off} */
    int sampleEvery();

    /** {@return whether checked mode is on} */
    boolean checked();

    /**
     * Checks, in checked mode, every live block's red zones and every quarantined freed block's poison;
     * does nothing otherwise.
     *
     * @throws AllocatorMisuseException for the first damaged block found
     */
    void verify();

    /** {@return the byte limit of this allocator's own budget, {@link Long#MAX_VALUE} if it has none} */
    long budgetLimit();

    /** {@return the bytes charged to this allocator's own budget (0 if it has none)} */
    long budgetUsed();

    /**
     * Opens a budget scope: an allocator that allocates through this one, charged to its own budget of
     * {@code limit} bytes and to this allocator's budget.
     *
     * @param name  the scope's name, in exceptions and reports
     * @param limit the scope's limit in bytes ({@link Long#MAX_VALUE} for none)
     * @return the new scope
     * @throws IllegalArgumentException if {@code limit < 0}
     */
    BudgetScope openScope(String name, long limit);

    /**
     * Ends tracking: releases the blocks held in checked mode's quarantine to the inner allocator,
     * unregisters the MBean, the JFR summary and the shutdown report, and ends a
     * {@linkplain Tracking.Builder#recordTo(java.nio.file.Path) recorded trace} (its end record). Live blocks
     * stay live; the allocator may still be used, untracked by JMX and JFR summaries and unrecorded.
     *
     * @throws AllocatorMisuseException if a quarantined block was written to after its free
     */
    @Override
    void close();
}
