package org.allocator4j.bump;

import java.util.Locale;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.spi.GlobalAllocatorProvider;

/**
 * Offers the global bump allocator under the name {@value #NAME}: thread-safe, never frees, for batch
 * programs. Configured by system properties read when the allocator is created:
 * <ul>
 *   <li>{@value #CAPACITY_PROPERTY}: the most bytes it takes from the system, with an optional
 *       {@code k}, {@code m} or {@code g} suffix (binary); default {@value #DEFAULT_CAPACITY}. Past it,
 *       allocation fails with {@link BumpLimitExceededException} naming the property.</li>
 *   <li>{@value #CHUNKING_PROPERTY}: {@code shared} (default: one chunk, CAS bump) or {@code thread}
 *       (a chunk per thread).</li>
 * </ul>
 */
public final class BumpAllocatorProvider implements GlobalAllocatorProvider {
    /** The provider's name. */
    public static final String NAME = GlobalBumpAllocator.NAME;
    /** The system property setting the global bump allocator's capacity in bytes. */
    public static final String CAPACITY_PROPERTY = "allocator4j.bump.capacity";
    /** The system property choosing how threads share chunks: {@code thread} or {@code shared}. */
    public static final String CHUNKING_PROPERTY = "allocator4j.bump.chunking";
    /** The capacity without the property. */
    public static final String DEFAULT_CAPACITY = "1g";
    /**
     * The chunking without the property: {@code shared}, measured faster than {@code thread} on one and
     * two threads ({@code BumpGlobalBenchmark}, see the module's README).
     */
    public static final String DEFAULT_CHUNKING = "shared";

    /** Creates the provider (cheap, no side effects, as the SPI asks). */
    public BumpAllocatorProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if a property has a value it cannot use; the message names it
     */
    @Override
    public GlobalAllocator create() {
        long capacity = parseSize(CAPACITY_PROPERTY, System.getProperty(CAPACITY_PROPERTY, DEFAULT_CAPACITY));
        String chunking = System.getProperty(CHUNKING_PROPERTY, DEFAULT_CHUNKING).trim().toLowerCase(Locale.ROOT);
        GlobalBumpAllocator.Chunking mode = switch (chunking) {
            case "thread" -> GlobalBumpAllocator.Chunking.THREAD;
            case "shared" -> GlobalBumpAllocator.Chunking.SHARED;
            default -> throw new IllegalArgumentException(CHUNKING_PROPERTY + "=" + chunking
                    + " is not a chunking; expected thread or shared");
        };
        return new GlobalBumpAllocator(capacity, mode);
    }

    /** {@return {@code value} as bytes: digits with an optional k, m or g suffix (powers of 1024)} */
    static long parseSize(String property, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        int shift = 0;
        if (!v.isEmpty()) {
            switch (v.charAt(v.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                default -> { }
            }
        }
        String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
        long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + "=" + value
                    + " is not a size; expected bytes with an optional k, m or g suffix, e.g. 512m", e);
        }
        if (n < 0 || (shift > 0 && n > (Long.MAX_VALUE >> shift))) {
            throw new IllegalArgumentException(property + "=" + value
                    + " is out of range; expected 0 <= bytes <= " + Long.MAX_VALUE);
        }
        return n << shift;
    }
}
