package org.allocator4j.testkit.blind;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;

/**
 * Honours alignments up to 64 KiB only: an alignment of 128 KiB or more gets a block aligned to 64 KiB
 * and never to the alignment asked (it is placed an odd multiple of 64 KiB from an aligned address), as
 * an allocator whose huge-alignment path is capped at its chunk alignment.
 *
 * <p>Shows when: {@code alignment >= 128 KiB} (any size); everything below is right. The declared
 * capabilities are the standard ones, which promise alignments up to 1 MiB.
 */
public final class AlignmentCappedAt64K extends Carving {
    private static final long CAP = 64 << 10;

    /** Creates it over {@code system}. */
    public AlignmentCappedAt64K() {
        this(GlobalAllocator.system());
    }

    /** Creates it over {@code parent}. @param parent the allocator blocks come from */
    public AlignmentCappedAt64K(GlobalAllocator parent) {
        super(parent);
    }

    @Override
    protected boolean carves(Layout layout) {
        return layout.alignment() > CAP;
    }

    @Override
    protected Layout baseLayout(Layout layout) {
        return Layout.of(layout.size() + CAP, CAP);
    }

    @Override
    protected long offset(MemorySegment base, Layout layout) {
        return layout.isAligned(base.address()) ? CAP : 0;
    }
}
