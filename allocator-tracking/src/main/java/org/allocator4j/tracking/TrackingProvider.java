package org.allocator4j.tracking;

import java.nio.file.Path;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.spi.GlobalAllocatorProvider;

/**
 * The {@value Tracking#NAME} provider: a tracking allocator over the provider named by
 * {@value Tracking#INNER_PROPERTY} ({@code system} if unset), with the defaults of {@link Tracking}'s
 * system properties, recording a trace to the file {@value Tracking#RECORD_PROPERTY} names, if any.
 *
 * <p>With another strategy on the class path too, choose this one explicitly:
 * {@code -Dallocator4j.global=tracking -Dallocator4j.tracking.inner=slab}.
 */
public final class TrackingProvider implements GlobalAllocatorProvider {

    /** Creates the provider; cheap and without side effects, as the SPI requires. */
    public TrackingProvider() {
    }

    @Override
    public String name() {
        return Tracking.NAME;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@value Tracking#INNER_PROPERTY} names {@value Tracking#NAME}, or
     *                                  {@value Tracking#RECORD_PROPERTY} is not a file path
     * @throws java.io.UncheckedIOException if the trace file cannot be created
     * @throws IllegalStateException    if another allocator still records to that file
     * @throws org.allocator4j.api.AllocatorResolutionException if it names no provider there is
     */
    @Override
    public GlobalAllocator create() {
        String innerName = System.getProperty(Tracking.INNER_PROPERTY, GlobalAllocator.SYSTEM).strip();
        if (innerName.equals(Tracking.NAME)) {
            throw new IllegalArgumentException("-D" + Tracking.INNER_PROPERTY + "=" + innerName
                    + " would make the tracking allocator wrap itself; expected another provider's name, e.g. "
                    + GlobalAllocator.SYSTEM);
        }
        Path record = Tracking.Builder.pathProperty(Tracking.RECORD_PROPERTY);
        Tracking.Builder builder = Tracking.builder(GlobalAllocator.named(innerName)).name(Tracking.NAME);
        return (record == null ? builder : builder.recordTo(record)).build();
    }
}
