package org.allocator4j.testkit.blind;

import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.testkit.Capabilities;

import static org.allocator4j.testkit.blind.BugKind.CHECKED_MODE_GAP;
import static org.allocator4j.testkit.blind.BugKind.CONCURRENCY;
import static org.allocator4j.testkit.blind.BugKind.EDGE_OF_RANGE;
import static org.allocator4j.testkit.blind.BugKind.EXHAUSTION_RECOVERY;
import static org.allocator4j.testkit.blind.BugKind.LEAK;
import static org.allocator4j.testkit.blind.BugKind.NOT_NATIVE;
import static org.allocator4j.testkit.blind.BugKind.OVERRIDDEN_DEFAULT;
import static org.allocator4j.testkit.blind.BugKind.SEGMENT_IDENTITY;
import static org.allocator4j.testkit.blind.BugKind.SIZE_ALIGNMENT_PAIRING;

/**
 * The catalogue of the blind zoo: every entry, its kind of bug, the bug in one line, and the capabilities
 * it declares. Every entry has a public no-arg constructor (over {@code system}) and a public constructor
 * taking its parent; those that keep memory implement {@link AutoCloseable}, and give everything back to
 * the parent in {@code close()} unless their bug is a leak.
 */
public final class BlindZoo {
    private BlindZoo() {
    }

    /**
     * One broken allocator.
     *
     * @param type         its class
     * @param kind         the kind of bug
     * @param bug          what is broken and when, in one line
     * @param capabilities the method returning what it declares (for most entries
     *                     {@code Capabilities.standard().overParent()})
     * @param reDeriveHazard whether a checker that turns a block's {@code address()} back into a native
     *                     segment (or keeps only the address across a GC) and touches it can crash the JVM:
     *                     the block is not native memory at that address. Run such an entry in a JVM of
     *                     its own.
     */
    public record Entry(Class<? extends GlobalAllocator> type, BugKind kind, String bug,
                        Supplier<Capabilities> capabilities, boolean reDeriveHazard) {
        /** Validates the entry. @throws NullPointerException if any component is null */
        public Entry {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(bug, "bug");
            Objects.requireNonNull(capabilities, "capabilities");
        }

        /** {@return what the entry declares, for {@code AllocatorContract.capabilities()}} */
        public Capabilities declared() {
            return capabilities.get();
        }

        /** {@return a new instance over {@code system}} */
        public GlobalAllocator newAllocator() {
            return newAllocator(GlobalAllocator.system());
        }

        /** {@return a new instance over {@code parent}} @param parent the parent to build it over */
        public GlobalAllocator newAllocator(GlobalAllocator parent) {
            try {
                return type.getConstructor(GlobalAllocator.class).newInstance(parent);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw new IllegalStateException("constructor of " + type.getName() + " failed", e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(type.getName() + " has no public (GlobalAllocator) constructor", e);
            }
        }

        @Override
        public String toString() {
            return type.getSimpleName() + " [" + kind + "]: " + bug;
        }
    }

    private static Capabilities overParent() {
        return Capabilities.standard().overParent();
    }

    private static Entry entry(Class<? extends GlobalAllocator> type, BugKind kind, String bug) {
        return new Entry(type, kind, bug, BlindZoo::overParent, false);
    }

    private static Entry entry(Class<? extends GlobalAllocator> type, BugKind kind, String bug,
                               Supplier<Capabilities> capabilities) {
        return new Entry(type, kind, bug, capabilities, false);
    }

    private static Entry hazardous(Class<? extends GlobalAllocator> type, BugKind kind, String bug) {
        return new Entry(type, kind, bug, BlindZoo::overParent, true);
    }

    private static final List<Entry> ENTRIES = List.of(
            entry(AlignmentCappedAt64K.class, EDGE_OF_RANGE,
                    "alignments >= 128 KiB come back aligned to 64 KiB only"),
            entry(TopAlignmentHalved.class, EDGE_OF_RANGE,
                    "exactly the declared maximum alignment (1 MiB) comes back aligned to 512 KiB"),
            entry(HugeSizesRoundedUp.class, EDGE_OF_RANGE,
                    "sizes >= 2 MiB (not a multiple of 2 MiB) come back rounded up to a multiple of 2 MiB"),
            entry(HugeZeroedSkipsClear.class, EDGE_OF_RANGE,
                    "allocateZeroed of a reused block >= 4 MiB skips the clear (assumes fresh mmap)"),
            entry(ReallocDropsHugeAlignment.class, EDGE_OF_RANGE,
                    "reallocate of a block aligned >= 128 KiB moves it to a 16-aligned block"),

            entry(PowerOfTwoAt128.class, SIZE_ALIGNMENT_PAIRING,
                    "power-of-two sizes 256..1024 at alignment >= 256 come back 128-aligned (mimalloc 2.0.9)"),
            entry(SizeEqualsAlignmentOff16.class, SIZE_ALIGNMENT_PAIRING,
                    "size == alignment >= 32 comes back 16 bytes off the alignment"),
            entry(MultipleOfAlignmentReallocShort.class, SIZE_ALIGNMENT_PAIRING,
                    "reallocate of a size that is a multiple of alignment >= 32 copies alignment bytes too few"),
            entry(PageJustUnderRoundedUp.class, SIZE_ALIGNMENT_PAIRING,
                    "sizes 4033..4095 at alignment >= 4096 come back as 4096-byte segments"),
            entry(PageJustOverCopiesOnePage.class, SIZE_ALIGNMENT_PAIRING,
                    "reallocate of sizes 4097..4160 at alignment >= 4096 copies only the first 4096 bytes"),

            entry(DeferredReleaseNeverReused.class, LEAK,
                    "small-block cache flushes half when full to a list never reused nor released before close"),
            entry(LosesEvery32ndFree.class, LEAK,
                    "every 32nd deallocate is dropped, never given back"),
            entry(FailedReallocLeaksRecord.class, LEAK,
                    "a failed reallocate leaks the 32-byte native record it allocated first"),
            entry(ReallocToZeroLeaks.class, LEAK,
                    "reallocate to size 0 returns dangling without freeing the block"),
            entry(ShrinkLeaksOldBlock.class, LEAK,
                    "reallocate to a smaller non-zero size never frees the old block"),
            entry(RefillBatchLeaksOnFailure.class, LEAK,
                    "a parent failure in the middle of an 8-block refill batch leaks the blocks already got"),

            entry(BudgetNotRolledBack.class, EXHAUSTION_RECOVERY,
                    "genuine exhaustion of the 64 MiB budget leaks the failed request's bytes of budget for good",
                    Budgeted::capabilities),
            entry(StickyExhaustedPool.class, EXHAUSTION_RECOVERY,
                    "once the 1024-slot pool is exhausted it fails every request, even after all is freed",
                    SlotPool::capabilities),
            entry(ExhaustionResetsCarvePointer.class, EXHAUSTION_RECOVERY,
                    "exhausting the 1024-slot pool resets its carve pointer: later blocks overlap live ones",
                    SlotPool::capabilities),
            entry(ExhaustionThrowsIllegalState.class, EXHAUSTION_RECOVERY,
                    "genuine exhaustion of the 64 MiB budget throws IllegalStateException",
                    Budgeted::capabilities),
            entry(ParentFailureNamesParent.class, EXHAUSTION_RECOVERY,
                    "a parent's failure is rethrown unchanged, naming the parent instead of this allocator"),

            entry(IdentityKeyedRecords.class, SEGMENT_IDENTITY,
                    "frees looked up in an IdentityHashMap: another segment object for the block leaks it"),
            entry(LengthKeyedRecords.class, SEGMENT_IDENTITY,
                    "frees looked up by (address, byteSize()): a segment of another length leaks the block"),
            entry(ReallocCopiesByteSize.class, SEGMENT_IDENTITY,
                    "reallocate copies min(block.byteSize(), newSize): a shorter segment loses contents"),
            entry(ByteSizeFiledCache.class, SEGMENT_IDENTITY,
                    "frees filed by block.byteSize(): zero-length leaks, shorter is freed to the parent mis-sized"),
            entry(ScopeCheckedOwnership.class, SEGMENT_IDENTITY,
                    "frees of a segment not in the allocator's own arena scope are ignored: the block leaks"),

            entry(CheckedFasttopOnly.class, CHECKED_MODE_GAP,
                    "double free detected only when the block is its bin's last freed (glibc fasttop)",
                    CheckedFasttopOnly::capabilities),
            entry(CheckedRedZoneSkippedOnRealloc.class, CHECKED_MODE_GAP,
                    "red zones checked on deallocate, not on reallocate",
                    CheckedRedZoneSkippedOnRealloc::capabilities),
            entry(CheckedReallocUnchecked.class, CHECKED_MODE_GAP,
                    "double free, foreign block and layout mismatch missed when reached through reallocate",
                    Ledgered::capabilities),
            entry(CheckedZeroedUntracked.class, CHECKED_MODE_GAP,
                    "blocks of allocateZeroed: layout mismatch missed, double free reported as FOREIGN_BLOCK",
                    Ledgered::capabilities),
            entry(CheckedPoisonHeadOnly.class, CHECKED_MODE_GAP,
                    "quarantine checks the poison of the first 64 bytes only",
                    CheckedPoisonHeadOnly::capabilities),
            entry(CheckedSizeClassOnly.class, CHECKED_MODE_GAP,
                    "layout mismatch detected only across size classes; alignment never compared (tcmalloc)",
                    Ledgered::capabilities),

            entry(SegmentAllocatorIgnoresAlignment.class, OVERRIDDEN_DEFAULT,
                    "asSegmentAllocator() honours alignments up to 16 only"),
            entry(ArenaOutlivesClose.class, OVERRIDDEN_DEFAULT,
                    "openArena() segments have the global scope: accessible after close and from any thread"),
            entry(ArenaBumpOverlaps.class, OVERRIDDEN_DEFAULT,
                    "openArena() bump pointer advances from the unaligned offset: padded blocks overlap the next"),
            entry(ArenaEvictsOldest.class, OVERRIDDEN_DEFAULT,
                    "openArena() frees its oldest block on the 65th allocation, while the arena is open"),
            entry(ZeroedTailDirtyAfterReuse.class, OVERRIDDEN_DEFAULT,
                    "allocateZeroed of a reused block clears size & ~7 bytes: a dirty tail if size % 8 != 0"),
            entry(ReallocLosesLastPage.class, OVERRIDDEN_DEFAULT,
                    "reallocate copies page by page and loses the last page when the kept bytes are k * 4096"),

            entry(Wrap16Handles.class, CONCURRENCY,
                    "16-bit handles wrap after 65,536 small allocations: a live block is recycled"),
            entry(ThirdThreadSharesCache.class, CONCURRENCY,
                    "2 lock-free per-thread caches: from the 3rd thread on two threads share one and race"),
            entry(NinthThreadSharesCache.class, CONCURRENCY,
                    "8 lock-free per-thread caches: from the 9th thread on two threads share one and race"),
            entry(HotClassDropsLock.class, CONCURRENCY,
                    "per-layout lock given up after 16 failed tryLocks: a hot layout's stack races"),

            hazardous(TinyBlocksOnHeap.class, NOT_NATIVE,
                    "allocate of 1..16 bytes (alignment <= 8) returns a heap segment at address 0"),
            hazardous(ZeroedFromJavaArrays.class, NOT_NATIVE,
                    "allocateZeroed of 1..1024 bytes (alignment <= 8) returns a heap segment at address 0"),
            hazardous(AutoArenaBlocks.class, NOT_NATIVE,
                    "blocks of up to 256 bytes come from Arena.ofAuto(): the GC frees them while live"),
            entry(ThreadConfinedBlocks.class, NOT_NATIVE,
                    "blocks of up to 256 bytes come from the caller's confined arena: other threads cannot touch them"),
            entry(HeaderOffsetMisderived.class, NOT_NATIVE,
                    "reallocate of alignment <= 4 reads the contents 4 bytes past where the block's address says"));

    /** {@return every entry, grouped by kind} */
    public static List<Entry> entries() {
        return ENTRIES;
    }

    /** {@return the entries of {@code kind}} @param kind a kind of bug */
    public static List<Entry> entries(BugKind kind) {
        return ENTRIES.stream().filter(e -> e.kind() == kind).toList();
    }
}
