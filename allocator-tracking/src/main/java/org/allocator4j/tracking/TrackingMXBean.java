package org.allocator4j.tracking;

/**
 * The management interface of a tracking allocator, registered with the platform MBean server as
 * {@code org.allocator4j:type=TrackingAllocator,name=<name>,id=<n>} (see {@link Tracking.Builder#jmx}).
 * Every attribute is read when asked; the MBean holds its allocator weakly, and reads zeros once the
 * allocator has been collected.
 */
public interface TrackingMXBean {
    /** {@return the allocator's name} */
    String getName();

    /** {@return the inner allocator's name} */
    String getInner();

    /** {@return successful allocations} */
    long getAllocations();

    /** {@return deallocations} */
    long getDeallocations();

    /** {@return successful reallocations} */
    long getReallocations();

    /** {@return failed requests} */
    long getFailures();

    /** {@return bytes allocated in total} */
    long getBytesAllocated();

    /** {@return bytes freed in total} */
    long getBytesFreed();

    /** {@return bytes live now} */
    long getLiveBytes();

    /** {@return blocks live now} */
    long getLiveBlocks();

    /** {@return the peak of live bytes} */
    long getPeakLiveBytes();

    /** {@return allocations per power-of-two size bucket, as {@link Snapshot#histogram()}} */
    long[] getHistogram();

    /** {@return whether checked mode is on} */
    boolean isChecked();

    /** {@return 1 in how many allocations has its site recorded} */
    int getSampleEvery();

    /** {@return the budget's limit, {@link Long#MAX_VALUE} if none} */
    long getBudgetLimit();

    /** {@return the bytes charged to the budget} */
    long getBudgetUsed();

    /** {@return the leak report as text} */
    String getLeakReport();
}
