package org.allocator4j.tracking;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.allocator4j.api.GlobalAllocator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that fails a test which leaves blocks of a tracking allocator live, naming the sites
 * where they were allocated.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LeakCheckExtension LEAKS = LeakCheckExtension.of(tracking);   // a TrackingAllocator
 *
 * @ExtendWith(LeakCheckExtension.class)   // the global allocator, which must be the tracking provider
 * class ParserTest { ... }
 * }</pre>
 *
 * <p>Before each test it notes the live blocks; after it, blocks live beyond those fail the test with a
 * {@link LeakException} whose report lists each new site with its blocks and bytes. Sites are those the
 * allocator records: all of them in checked mode or with {@code sampleEvery(1)}; otherwise a sample, and
 * the counts of all leaked blocks.
 *
 * @implNote JUnit is a compile-time-only ({@code requires static}, Maven {@code provided}) dependency of
 * this module; only code that uses this class needs JUnit on its path.
 */
public final class LeakCheckExtension implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LeakCheckExtension.class);

    private final TrackingAllocator allocator; // null: the global allocator, resolved when a test starts

    /** Checks the global allocator, which must be a {@link TrackingAllocator} (the tracking provider). */
    public LeakCheckExtension() {
        this.allocator = null;
    }

    private LeakCheckExtension(TrackingAllocator allocator) {
        this.allocator = allocator;
    }

    /**
     * {@return an extension that checks {@code allocator}}
     *
     * @param allocator the allocator to check
     */
    public static LeakCheckExtension of(TrackingAllocator allocator) {
        return new LeakCheckExtension(Objects.requireNonNull(allocator, "allocator"));
    }

    private TrackingAllocator allocator() {
        if (allocator != null) {
            return allocator;
        }
        GlobalAllocator global = GlobalAllocator.global();
        if (global instanceof TrackingAllocator tracking) {
            return tracking;
        }
        throw new IllegalStateException("LeakCheckExtension checks the global allocator, which is '" + global.name()
                + "', not a tracking allocator; put allocator-tracking on the test class path and set -D"
                + GlobalAllocator.GLOBAL_PROPERTY + "=" + Tracking.NAME + ", or use LeakCheckExtension.of(tracking)");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put(context.getUniqueId(), allocator().leaks());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        LeakReport before = context.getStore(NAMESPACE).remove(context.getUniqueId(), LeakReport.class);
        if (before == null) {
            return;
        }
        LeakReport after = allocator().leaks();
        LeakReport added = difference(after, before);
        if (added.liveBlocks() > 0 || !added.leaks().isEmpty()) {
            TrackingEvents.leaksFound(added);
            throw new LeakException("test " + context.getDisplayName() + " left " + added.liveBlocks()
                    + " block(s) live", added);
        }
    }

    /** {@return the blocks and sites live in {@code after} beyond those in {@code before}} */
    static LeakReport difference(LeakReport after, LeakReport before) {
        Map<AllocationSite, long[]> sites = new HashMap<>();
        for (Leak leak : after.leaks()) {
            sites.put(leak.site(), new long[] {leak.blocks(), leak.bytes()});
        }
        for (Leak leak : before.leaks()) {
            long[] sum = sites.get(leak.site());
            if (sum != null) {
                sum[0] -= leak.blocks();
                sum[1] -= leak.bytes();
            }
        }
        sites.values().removeIf(sum -> sum[0] <= 0);
        List<Leak> leaks = SampledBlocks.group(sites);
        return new LeakReport(after.allocatorName(), after.liveBlocks() - before.liveBlocks(),
                after.liveBytes() - before.liveBytes(), after.sampleEvery(), leaks);
    }
}
