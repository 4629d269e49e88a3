package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.testkit.Capabilities;

/**
 * A checked mode that poisons every freed block and keeps the last 16 in a quarantine, checking the
 * poison when a block leaves it and at {@link #close()}; but it checks only the first 64 bytes of each
 * block ("the header is where stale pointers write"), so a write after free further in goes unreported.
 *
 * <p>Shows when: a freed block of more than 64 bytes is written at offset 64 or beyond. Declares
 * {@link #capabilities()}: detects {@code USE_AFTER_FREE}.
 */
public final class CheckedPoisonHeadOnly extends Forwarding implements AutoCloseable {
    private static final byte POISON = (byte) 0xDD;
    private static final long CHECKED = 64;
    private static final int QUARANTINE = 16;

    private record Freed(MemorySegment block, Layout layout) {
    }

    private final Map<Long, MemorySegment> live = new HashMap<>();
    private final ArrayDeque<Freed> quarantine = new ArrayDeque<>();
    private final List<Freed> condemned = new ArrayList<>();

    /** Creates it over {@code system}. */
    public CheckedPoisonHeadOnly() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public CheckedPoisonHeadOnly(GlobalAllocator parent) {
        super(parent);
    }

    /** {@return standard capabilities over a parent, detecting {@code USE_AFTER_FREE}} */
    public static Capabilities capabilities() {
        return Capabilities.standard().withDetection(Kind.USE_AFTER_FREE).overParent();
    }

    @Override
    public synchronized MemorySegment allocate(Layout layout) {
        MemorySegment block = fromParent(layout);
        if (layout.size() > 0) {
            live.put(block.address(), block);
        }
        return block;
    }

    @Override
    public synchronized void deallocate(MemorySegment block, Layout layout) {
        MemorySegment whole = layout.size() == 0 ? null : live.remove(block.address());
        if (whole == null) {
            return; // not a live block: undefined behaviour, nothing declared for it
        }
        whole.fill(POISON);
        quarantine.addLast(new Freed(whole, layout));
        if (quarantine.size() > QUARANTINE) {
            Freed oldest = quarantine.removeFirst();
            if (!poisoned(oldest.block())) {
                condemned.add(oldest);
                throw misuse(oldest);
            }
            parent.deallocate(oldest.block(), oldest.layout());
        }
    }

    /**
     * Checks and releases the quarantine and gives the condemned blocks back.
     *
     * @throws AllocatorMisuseException if a quarantined block was written after it was freed
     */
    @Override
    public synchronized void close() {
        Freed bad = null;
        for (Freed freed : quarantine) {
            if (bad == null && !poisoned(freed.block())) {
                bad = freed;
            }
            parent.deallocate(freed.block(), freed.layout());
        }
        quarantine.clear();
        condemned.forEach(f -> parent.deallocate(f.block(), f.layout()));
        condemned.clear();
        if (bad != null) {
            throw misuse(bad);
        }
    }

    private AllocatorMisuseException misuse(Freed freed) {
        return new AllocatorMisuseException(Kind.USE_AFTER_FREE, name(), "block 0x"
                + Long.toHexString(freed.block().address()) + ", " + freed.layout()
                + " was written after it was freed");
    }

    private static boolean poisoned(MemorySegment block) {
        long end = Math.min(CHECKED, block.byteSize()); // the bug: the rest of the block is not looked at
        for (long i = 0; i < end; i++) {
            if (block.get(ValueLayout.JAVA_BYTE, i) != POISON) {
                return false;
            }
        }
        return true;
    }
}
