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
 *       at most (at least 2 are always cached); virtual threads share a few caches of this size</td></tr>
 *   <tr><td>{@code allocator4j.slab.decayMillis}</td><td>1000</td><td>how long an empty slab is kept for
 *       reuse before it goes back to the parent</td></tr>
 *   <tr><td>{@code allocator4j.slab.checkFrees}</td><td>{@code false}</td><td>whether every free is checked
 *       (the start of a live block of its layout's class, not free already), throwing
 *       {@link org.allocator4j.api.AllocatorMisuseException} otherwise; {@code true} turns the check on</td></tr>
 * </table>
 *
 * @param parent          the name of the parent allocator ({@code GlobalAllocator.named}); not {@code slab}
 * @param slabBytes       the smallest slab size, a power of two in [4096, 16 MiB]
 * @param cacheClassBytes the most bytes a thread caches per class, {@code >= 0}
 * @param cacheMaxBlocks  the most blocks a thread caches per class, in [2, 65536]
 * @param decayMillis     how long an empty slab is kept, {@code >= 0}
 * @param checkFrees      whether frees are checked: a free that is not the start of a live block of its
 *                        layout's class throws {@link org.allocator4j.api.AllocatorMisuseException} (see
 *                        {@link SlabAllocator}); off, such a free is undefined behaviour
 */
public record SlabConfig(String parent, int slabBytes, int cacheClassBytes, int cacheMaxBlocks, long decayMillis,
                         boolean checkFrees) {
    /** The prefix of every property. */
    public static final String PREFIX = "allocator4j.slab.";

    /** The defaults. */
    public static final SlabConfig DEFAULT = new SlabConfig("system", 64 * 1024, 64 * 1024, 256, 1000, false);

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
     * Creates a configuration without checked frees ({@code checkFrees = false}, the default).
     *
     * @param parent          the name of the parent allocator; not {@code slab}
     * @param slabBytes       the smallest slab size, a power of two in [4096, 16 MiB]
     * @param cacheClassBytes the most bytes a thread caches per class, {@code >= 0}
     * @param cacheMaxBlocks  the most blocks a thread caches per class, in [2, 65536]
     * @param decayMillis     how long an empty slab is kept, {@code >= 0}
     * @throws IllegalArgumentException if a value is out of its range (the message names it and the range)
     * @throws NullPointerException     if {@code parent} is null
     */
    public SlabConfig(String parent, int slabBytes, int cacheClassBytes, int cacheMaxBlocks, long decayMillis) {
        this(parent, slabBytes, cacheClassBytes, cacheMaxBlocks, decayMillis, false);
    }

    /** {@return this configuration with {@code checkFrees} set as given} @param checkFrees whether frees are checked */
    public SlabConfig withCheckFrees(boolean checkFrees) {
        return new SlabConfig(parent, slabBytes, cacheClassBytes, cacheMaxBlocks, decayMillis, checkFrees);
    }

    /**
     * {@return the configuration from the {@code allocator4j.slab.*} system properties, with the defaults
     * of {@link #DEFAULT} for those not set}
     *
     * @throws IllegalArgumentException if a property is not a number (not {@code true} or {@code false}
     *                                  for {@code checkFrees}) or out of its range; the message names the
     *                                  property
     */
    public static SlabConfig fromSystemProperties() {
        return new SlabConfig(
                System.getProperty(PREFIX + "parent", DEFAULT.parent),
                (int) longProperty("slabBytes", DEFAULT.slabBytes),
                (int) longProperty("cache.classBytes", DEFAULT.cacheClassBytes),
                (int) longProperty("cache.maxBlocks", DEFAULT.cacheMaxBlocks),
                longProperty("decayMillis", DEFAULT.decayMillis),
                booleanProperty("checkFrees", DEFAULT.checkFrees));
    }

    private static boolean booleanProperty(String name, boolean defaultValue) {
        String value = System.getProperty(PREFIX + name);
        if (value == null) {
            return defaultValue;
        }
        return switch (value.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(PREFIX + name + "=" + value
                    + " is not a boolean; expected true or false");
        };
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

    /** {@return how many blocks of class {@code c} a cache holds at most} */
    int cacheCapacityOf(int c) {
        long byBytes = cacheClassBytes / SizeClass.size(c);
        return (int) Math.max(2, Math.min(cacheMaxBlocks, byBytes));
    }
}
