package org.allocator4j.tracking;

import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.Supplier;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * The tracking decorator: {@link Tracking#builder(GlobalAllocator)}.
 *
 * <p>The fast path (statistics and sampling, no budget, no listener) adds to each operation a cell lookup,
 * a few single-writer stores, a peak compare and, on a free, one load of the sample table.
 */
final class TrackingGlobalAllocator implements TrackingAllocator {
    private static final System.Logger LOG = System.getLogger(TrackingGlobalAllocator.class.getName());
    private static final AllocationListener[] NO_LISTENERS = {};

    private final GlobalAllocator inner;
    private final String name;
    private final Statistics stats;
    private final int sampleEvery;
    private final SampledBlocks sampled;   // null when sampling is off or checked mode records every site
    private final CheckedBlocks checked;   // null unless checked mode
    private final BudgetNode budget;       // null when unlimited
    private final AllocationListener[] listeners;
    private final Jmx.Registration mbean;  // null when not registered
    private final Thread shutdownHook;     // null when no shutdown report
    private final TraceRecorder recorder;  // null unless recording a trace
    /** Whether calls take the full path: checked mode, a budget, listeners or recording. */
    private final boolean slowPath;

    TrackingGlobalAllocator(Tracking.Builder options) {
        this.inner = options.inner;
        this.name = options.name;
        this.checked = options.checked
                ? new CheckedBlocks(name, inner, options.quarantineBytes, options.quarantineBlocks) : null;
        this.sampleEvery = options.checked ? 1 : options.sampleEvery;
        this.sampled = options.checked || options.sampleEvery == 0 ? null
                : new SampledBlocks(Math.min(1 << 16, Math.max(4096, 1 << 22 / options.sampleEvery)));
        this.stats = new Statistics(options.peakQuantum, sampled == null ? 0 : options.sampleEvery);
        this.budget = options.budget == Long.MAX_VALUE ? null : new BudgetNode(name, options.budget, null);
        this.listeners = options.listeners.isEmpty() ? NO_LISTENERS
                : options.listeners.toArray(AllocationListener[]::new);
        this.recorder = TraceRecorder.start(options);
        this.slowPath = checked != null || budget != null || listeners.length != 0 || recorder != null;
        this.mbean = options.jmx ? Jmx.register(this) : null;
        TrackingEvents.register(this);
        if (options.shutdownReport) {
            shutdownHook = new Thread(this::reportAtShutdown, "allocator4j-tracking-shutdown-report");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            shutdownHook = null;
        }
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        long size = layout.size();
        if (slowPath || size == 0) {
            return allocate(layout, false, budget);
        }
        // The fast path, kept small so that the JIT inlines it and the inner allocator's own fast path.
        MemorySegment block;
        try {
            block = inner.allocate(layout);
        } catch (AllocationException e) {
            throw failed(stats.cell(), layout, e);
        }
        long[] cell = stats.cell();
        if (stats.allocated(cell, size)) {
            sample(cell, block.address(), size);
        }
        TrackingEvents.allocation(name, "allocate", block.address(), layout);
        return block;
    }

    /** Records a sampled block's site. Takes the address, not the segment: the segment must not escape. */
    private void sample(long[] cell, long address, long size) {
        if (!sampled.record(address, size, AllocationSite.capture())) {
            stats.sampleNext(cell);
        }
    }

    @Override
    public MemorySegment allocateZeroed(Layout layout) {
        return allocate(layout, true, budget);
    }

    /** Allocates, charging {@code charge} (a scope's budget, this allocator's, or null). */
    MemorySegment allocate(Layout layout, boolean zeroed, BudgetNode charge) {
        long[] cell = stats.cell();
        long size = layout.size();
        if (size == 0) {
            // The zero-size rule, answered here: nothing is allocated or forwarded.
            stats.allocated(cell, 0);
            MemorySegment dangling = layout.dangling();
            allocated(dangling, layout);
            return dangling;
        }
        if (charge != null) {
            reserve(charge, cell, size, layout);
        }
        MemorySegment block;
        try (TraceRecorder.Step step = TraceRecorder.step(recorder)) { // recording: the call and its record, locked
            block = checked != null ? checked.allocate(layout, zeroed)
                    : zeroed ? inner.allocateZeroed(layout) : inner.allocate(layout);
            step.allocated(block, layout);
        } catch (AllocationException e) {
            if (charge != null) {
                charge.release(size);
            }
            throw failed(cell, layout, e);
        }
        if (stats.allocated(cell, size)) {
            sample(cell, block.address(), size);
        }
        allocated(block, layout);
        return block;
    }

    private void reserve(BudgetNode charge, long[] cell, long size, Layout layout) {
        try {
            charge.reserve(size, name, layout);
        } catch (BudgetExceededException e) {
            throw failed(cell, layout, e); // already this allocator's own: thrown as it is
        }
    }

    private void allocated(MemorySegment block, Layout layout) {
        for (AllocationListener listener : listeners) {
            try {
                listener.onAllocate(block, layout);
            } catch (RuntimeException e) {
                listenerFailed(listener, e);
            }
        }
        TrackingEvents.allocation(name, "allocate", block.address(), layout);
    }

    /**
     * {@return {@code failure} as this allocator's own} The contract: a failure names the allocator that
     * was asked and the layout the caller asked for, whatever the inner allocator (or checked mode's red
     * zones) requested underneath; that request stays readable as the cause.
     */
    private AllocationException own(Layout layout, AllocationException failure) {
        if (failure.allocatorName().equals(name) && failure.layout().equals(layout)) {
            return failure;
        }
        return new AllocationException(name, layout, "inner allocator '" + failure.allocatorName()
                + "' failed: " + failure.getMessage(), failure);
    }

    /** Counts and reports a failure; {@return it as this allocator's own, to throw}. */
    private AllocationException failed(long[] cell, Layout layout, AllocationException underneath) {
        AllocationException failure = own(layout, underneath);
        stats.failed(cell);
        for (AllocationListener listener : listeners) {
            try {
                listener.onFailure(layout, failure);
            } catch (RuntimeException e) {
                listenerFailed(listener, e);
            }
        }
        TrackingEvents.failure(name, layout, failure);
        return failure;
    }

    @Override
    public void deallocate(MemorySegment block, Layout layout) {
        long size = layout.size();
        if (slowPath || size == 0) {
            deallocate(block, layout, budget);
            return;
        }
        if (sampled != null) {
            sampled.remove(block.address());
        }
        inner.deallocate(block, layout);
        stats.deallocated(stats.cell(), size);
        TrackingEvents.allocation(name, "deallocate", block.address(), layout);
    }

    void deallocate(MemorySegment block, Layout layout, BudgetNode charge) {
        long[] cell = stats.cell();
        long size = layout.size();
        AllocatorMisuseException late = null;
        if (checked != null && size == 0) {
            if (checked.isLive(block.address())) {
                checked.check(block, layout, "deallocate"); // throws LAYOUT_MISMATCH with the sites
            }
        } else if (size != 0) {
            if (sampled != null) { // never in checked mode
                sampled.remove(block.address());
            }
            try (TraceRecorder.Step step = TraceRecorder.step(recorder)) {
                late = free(block, layout); // checked mode's misuse throws here: not recorded
                step.freed(block, layout);
            }
        }
        stats.deallocated(cell, size);
        if (charge != null && size != 0) {
            charge.release(size);
        }
        for (AllocationListener listener : listeners) {
            try {
                listener.onDeallocate(block, layout);
            } catch (RuntimeException e) {
                listenerFailed(listener, e);
            }
        }
        TrackingEvents.allocation(name, "deallocate", block.address(), layout);
        if (late != null) {
            throw late;
        }
    }

    @Override
    public MemorySegment reallocate(MemorySegment block, Layout layout, long newSize) {
        return reallocate(block, layout, newSize, budget);
    }

    MemorySegment reallocate(MemorySegment block, Layout layout, long newSize, BudgetNode charge) {
        Layout newLayout = new Layout(newSize, layout.alignment());
        long[] cell = stats.cell();
        long oldSize = layout.size();
        CheckedBlocks.Block old = null;
        if (checked != null && (oldSize != 0 || checked.isLive(block.address()))) {
            old = checked.check(block, layout, "reallocate"); // misuse throws before anything changes
        }
        long growth = newSize - oldSize;
        if (charge != null && growth > 0) {
            reserve(charge, cell, growth, newLayout);
        }
        MemorySegment result;
        AllocatorMisuseException late = null;
        try (TraceRecorder.Step step = TraceRecorder.step(recorder)) {
            if (newSize == 0) {
                // The zero-size rule: reallocating to 0 frees the block and returns the dangling one.
                late = free(block, layout);
                result = newLayout.dangling();
            } else if (oldSize == 0) {
                // Reallocating a zero-size block allocates.
                result = checked != null ? checked.allocate(newLayout, false) : inner.allocate(newLayout);
            } else if (checked != null) {
                result = checked.allocate(newLayout, false);
                // Copy from the recorded block: the caller's segment may carry only the address.
                MemorySegment.copy(old.user(), 0, result, 0, Math.min(oldSize, newSize));
                late = checked.free(block, layout);
            } else {
                result = inner.reallocate(block, layout, newSize);
            }
            step.reallocated(block, layout, result, newSize);
        } catch (AllocationException e) {
            if (charge != null && growth > 0) {
                charge.release(growth);
            }
            throw failed(cell, newLayout, e);
        }
        if (charge != null && growth < 0) {
            charge.release(-growth);
        }
        resample(cell, block, oldSize, result, newSize);
        stats.reallocated(cell, oldSize, newSize);
        for (AllocationListener listener : listeners) {
            try {
                listener.onReallocate(block, layout, result, newLayout);
            } catch (RuntimeException e) {
                listenerFailed(listener, e);
            }
        }
        TrackingEvents.allocation(name, "reallocate", result.address(), newLayout);
        if (late != null) {
            throw late;
        }
        return result;
    }

    /** Frees a non-zero block without counting it (reallocation counts). */
    private AllocatorMisuseException free(MemorySegment block, Layout layout) {
        if (layout.size() == 0) {
            return null;
        }
        if (checked != null) {
            return checked.free(block, layout);
        }
        inner.deallocate(block, layout);
        return null;
    }

    /** Moves a sampled block's site to its new address; the reallocation's result keeps the old site. */
    private void resample(long[] cell, MemorySegment oldBlock, long oldSize, MemorySegment newBlock,
                          long newSize) {
        if (sampled == null) {
            return;
        }
        SampledBlocks.Sample sample = oldSize == 0 ? null : sampled.get(oldBlock.address());
        if (sample != null) {
            sampled.remove(oldBlock.address());
            if (newSize != 0 && !sampled.record(newBlock.address(), newSize, sample.site())) {
                stats.sampleNext(cell);
            }
        }
    }

    private void listenerFailed(AllocationListener listener, RuntimeException e) {
        LOG.log(Level.WARNING, "allocation listener " + listener + " of allocator '" + name + "' threw", e);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public GlobalAllocator inner() {
        return inner;
    }

    @Override
    public Snapshot snapshot() {
        return stats.snapshot();
    }

    @Override
    public Snapshot measure(Runnable work) {
        Objects.requireNonNull(work, "work");
        return measure(() -> {
            work.run();
            return null;
        }).stats();
    }

    @Override
    public <T> Measurement<T> measure(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        Snapshot before = stats.snapshot();
        long previousPeak = stats.resetPeak(before.liveBytes());
        T value;
        Snapshot after;
        try {
            value = work.get();
        } finally {
            after = stats.snapshot();
            stats.restorePeak(previousPeak);
        }
        return new Measurement<>(value, after.minus(before));
    }

    @Override
    public LeakReport leaks() {
        Snapshot now = stats.snapshot();
        return new LeakReport(name, now.liveBlocks(), now.liveBytes(), sampleEvery,
                checked != null ? checked.bySite() : sampled != null ? sampled.bySite() : java.util.List.of());
    }

    /** {@return the recorded allocation site of the live block at {@code address}, or null} */
    AllocationSite siteOf(long address) {
        if (checked != null) {
            return checked.siteOf(address);
        }
        if (sampled != null) {
            SampledBlocks.Sample sample = sampled.get(address);
            return sample == null ? null : sample.site();
        }
        return null;
    }

    @Override
    public int sampleEvery() {
        return sampleEvery;
    }

    @Override
    public boolean checked() {
        return checked != null;
    }

    @Override
    public void verify() {
        if (checked != null) {
            checked.verify();
        }
    }

    @Override
    public long budgetLimit() {
        return budget == null ? Long.MAX_VALUE : budget.limit;
    }

    @Override
    public long budgetUsed() {
        return budget == null ? 0 : budget.used();
    }

    @Override
    public BudgetScope openScope(String name, long limit) {
        return new ScopeAllocator(this, new BudgetNode(Objects.requireNonNull(name, "name"), limit, budget), null);
    }

    @Override
    public void close() {
        if (recorder != null) {
            recorder.end();
        }
        if (mbean != null) {
            mbean.unregister();
        }
        TrackingEvents.unregister(this);
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway
            }
        }
        if (checked != null) {
            AllocatorMisuseException damage = checked.drain();
            if (damage != null) {
                throw damage;
            }
        }
    }

    private void reportAtShutdown() {
        LeakReport report = leaks();
        if (!report.isEmpty()) {
            System.err.println("[allocator4j] leak report at shutdown: " + report.format());
        }
    }

    @Override
    public String toString() {
        return "TrackingAllocator[" + name + " over " + inner.name() + ", checked=" + (checked != null)
                + ", sampleEvery=" + sampleEvery + ", budget=" + (budget == null ? "none" : budget.limit)
                + (recorder == null ? "" : ", recordTo=" + recorder) + "]";
    }
}
