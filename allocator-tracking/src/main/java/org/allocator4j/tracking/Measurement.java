package org.allocator4j.tracking;

/**
 * The result of {@link TrackingAllocator#measure(java.util.function.Supplier)}.
 *
 * @param <T>   the result's type
 * @param value what the work returned
 * @param stats what it allocated and freed
 */
public record Measurement<T>(T value, Snapshot stats) {
}
