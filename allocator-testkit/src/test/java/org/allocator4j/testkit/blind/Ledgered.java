package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.testkit.Capabilities;

/**
 * A checked mode over a parent that books every block {@code allocate} hands out in a {@link Ledger}
 * (locked by itself); subclasses check frees against it, each with a gap.
 */
public abstract class Ledgered extends Forwarding {
    /** The books; lock it to use it. */
    protected final Ledger ledger = new Ledger("blind-" + getClass().getSimpleName());

    /**
     * Creates it over {@code parent}.
     *
     * @param parent the allocator blocks come from
     */
    protected Ledgered(GlobalAllocator parent) {
        super(parent);
    }

    /** {@return standard capabilities over a parent, detecting double frees, foreign blocks, layout mismatches} */
    public static Capabilities capabilities() {
        return Capabilities.standard()
                .withDetection(Kind.DOUBLE_FREE, Kind.FOREIGN_BLOCK, Kind.LAYOUT_MISMATCH)
                .overParent();
    }

    @Override
    public MemorySegment allocate(Layout layout) {
        MemorySegment block = fromParent(layout);
        if (layout.size() > 0) {
            synchronized (ledger) {
                ledger.handedOut(block, layout);
            }
        }
        return block;
    }
}
