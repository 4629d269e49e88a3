package org.allocator4j.tracking;

import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.Layout;

/** The seed's {@code LoggingAllocator} as a listener: {@link AllocationListener#logging}. */
final class LoggingListener implements AllocationListener {
    private final System.Logger logger;
    private final PrintStream out;

    LoggingListener(System.Logger logger, PrintStream out) {
        this.logger = logger;
        this.out = out;
    }

    @Override
    public void onAllocate(MemorySegment block, Layout layout) {
        if (enabled(Level.DEBUG)) {
            write(Level.DEBUG, "allocate address=" + CheckedBlocks.hex(block.address()) + " size=" + layout.size()
                    + " alignment=" + layout.alignment());
        }
    }

    @Override
    public void onDeallocate(MemorySegment block, Layout layout) {
        if (enabled(Level.DEBUG)) {
            write(Level.DEBUG, "deallocate address=" + CheckedBlocks.hex(block.address()) + " size=" + layout.size()
                    + " alignment=" + layout.alignment());
        }
    }

    @Override
    public void onReallocate(MemorySegment oldBlock, Layout oldLayout, MemorySegment newBlock, Layout newLayout) {
        if (enabled(Level.DEBUG)) {
            write(Level.DEBUG, "reallocate address=" + CheckedBlocks.hex(oldBlock.address()) + " size="
                    + oldLayout.size() + " -> address=" + CheckedBlocks.hex(newBlock.address()) + " size="
                    + newLayout.size() + " alignment=" + newLayout.alignment());
        }
    }

    @Override
    public void onFailure(Layout layout, AllocationException failure) {
        if (enabled(Level.WARNING)) {
            write(Level.WARNING, "failure size=" + layout.size() + " alignment=" + layout.alignment()
                    + ": " + failure.getMessage());
        }
    }

    private boolean enabled(Level level) {
        return out != null || logger.isLoggable(level);
    }

    private void write(Level level, String line) {
        if (out != null) {
            out.println(line);
        } else {
            logger.log(level, line);
        }
    }
}
