package org.allocator4j.slab;

/**
 * The tuning of a slab allocator. {@link #fromSystemProperties()} reads each value from its system
 * property, with the default below when the property is not set.
 *
 * <table>
 *   <caption>Properties</caption>
 *   <tr><th>property</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code allocator4j.slab.parent}</td><td>{@code system}</td><td>the allocator slabs and large
 *       blocks come from, by provider name</td></tr>
 *   <tr><td>{@code allocator4j.slab.slabBytes}</td><td>65536</td><td>the smallest slab, a power of two
 *       from 4096 to 16 MiB; a class gets slabs of at least 8 blocks</td></tr>
 *   <tr><td>{@code allocator4j.slab.cache.classBytes}</td><td>65536</td><td>bytes a thread caches per
 *       class at most</td></tr>
 *   <tr><td>{@code allocator4j.slab.cache.maxBlocks}</td><td>256</td><td>blocks a thread caches per class
 *       at most (at least 2 are always cached); virtual threads cache at most 8</td></tr>
 *   <tr><td>{@code allocator4j.slab.decayMillis}</td><td>1000</td><td>how long an empty slab is kept for
 *       reuse before it goes back to the parent</td></tr>
 * </table>
 *
 * @param parent          the name of the parent allocator ({@code GlobalAllocator.named}); not {@code slab}
 * @param slabBytes       the smallest slab size, a power of two in [4096, 16 MiB]
 * @param cacheClassBytes the most bytes a thread caches per class, {@code >= 0}
 * @param cacheMaxBlocks  the most blocks a thread caches per class, in [2, 65536]
 * @param decayMillis     how long an empty slab is kept, {@code >= 0}
 */
public record SlabConfig(String parent, int slabBytes, int cacheClassBytes, int cacheMaxBlocks, long decayMillis) {
    /** The prefix of every property. */
    public static final String PREFIX = "allocator4j.slab.";

    /** The defaults. */
    public static final SlabConfig DEFAULT = new SlabConfig("system", 64 * 1024, 64 * 1024, 256, 1000);

    /**
     * Validates a configuration.
     *
     * @throws IllegalArgumentException if a value is out of its range (the message names it and the range)
     * @throws NullPointerException     if {@code parent} is null
     */
    public SlabConfig {
        java.util.Objects.requireNonNull(parent, "parent");
        if (parent.equals(SlabProvider.NAME)) {
            throw new IllegalArgumentException("parent=" + parent + " would make a slab allocator its own "
                    + "parent; expected another allocator's name, e.g. system");
        }
        if (slabBytes < 4096 || slabBytes > (16 << 20) || Integer.bitCount(slabBytes) != 1) {
            throw new IllegalArgumentException("slabBytes=" + slabBytes
                    + " is not a power of two in [4096, 16777216]");
        }
        if (cacheClassBytes < 0) {
            throw new IllegalArgumentException("cacheClassBytes=" + cacheClassBytes + " is negative; expected >= 0");
        }
        if (cacheMaxBlocks < 2 || cacheMaxBlocks > 65536) {
            throw new IllegalArgumentException("cacheMaxBlocks=" + cacheMaxBlocks + " is not in [2, 65536]");
        }
        if (decayMillis < 0) {
            throw new IllegalArgumentException("decayMillis=" + decayMillis + " is negative; expected >= 0");
        }
    }

    /**
     * {@return the configuration from the {@code allocator4j.slab.*} system properties, with the defaults
     * of {@link #DEFAULT} for those not set}
     *
     * @throws IllegalArgumentException if a property is not a number or out of its range; the message
     *                                  names the property
     */
    public static SlabConfig fromSystemProperties() {
        return new SlabConfig(
                System.getProperty(PREFIX + "parent", DEFAULT.parent),
                (int) longProperty("slabBytes", DEFAULT.slabBytes),
                (int) longProperty("cache.classBytes", DEFAULT.cacheClassBytes),
                (int) longProperty("cache.maxBlocks", DEFAULT.cacheMaxBlocks),
                longProperty("decayMillis", DEFAULT.decayMillis));
    }

    private static long longProperty(String name, long defaultValue) {
        String value = System.getProperty(PREFIX + name);
        if (value == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value.strip());
            if (!name.equals("decayMillis") && (parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE)) {
                throw new NumberFormatException("out of int range");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + name + "=" + value + " is not a number in range ("
                    + e.getMessage() + ")", e);
        }
    }

    /** {@return the slab size of class {@code c}: at least {@link #slabBytes}, and at least 8 blocks} */
    long slabBytesOf(int c) {
        long eight = Long.highestOneBit(8L * SizeClass.size(c) - 1) << 1;
        return Math.max(slabBytes, eight);
    }

    /** {@return how many blocks of class {@code c} a thread caches at most} */
    int cacheCapacityOf(int c, boolean virtualThread) {
        long byBytes = cacheClassBytes / SizeClass.size(c);
        int max = virtualThread ? Math.min(8, cacheMaxBlocks) : cacheMaxBlocks;
        return (int) Math.max(2, Math.min(max, byBytes));
    }
}
