package org.allocator4j.tracking;

/**
 * Live blocks allocated at one site: a line of a {@link LeakReport}.
 *
 * @param site   where they were allocated
 * @param blocks how many recorded blocks from that site are live
 * @param bytes  their total size in bytes
 */
public record Leak(AllocationSite site, long blocks, long bytes) {
    @Override
    public String toString() {
        return bytes + " bytes in " + blocks + " block(s) allocated at " + site.caller()
                + " [thread " + site.thread() + "]";
    }
}
