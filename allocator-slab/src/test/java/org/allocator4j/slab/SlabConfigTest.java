package org.allocator4j.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SlabConfigTest {

    @Test
    void constructor_slabBytesNotPowerOfTwo_throwsNamingValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SlabConfig("system", 65535, 1024, 16, 0));
        assertTrue(e.getMessage().contains("slabBytes=65535"), e.getMessage());
    }

    @Test
    void constructor_parentIsSlab_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SlabConfig("slab", 65536, 1024, 16, 0));
        assertTrue(e.getMessage().contains("parent=slab"), e.getMessage());
    }

    @Test
    void constructor_cacheMaxBlocksBelowTwo_throws() {
        assertThrows(IllegalArgumentException.class, () -> new SlabConfig("system", 65536, 1024, 1, 0));
    }

    @Test
    void fromSystemProperties_propertySet_overridesDefault() {
        String key = SlabConfig.PREFIX + "cache.maxBlocks";
        String old = System.getProperty(key);
        System.setProperty(key, "32");
        try {
            SlabConfig config = SlabConfig.fromSystemProperties();
            assertEquals(32, config.cacheMaxBlocks());
            assertEquals(SlabConfig.DEFAULT.slabBytes(), config.slabBytes());
        } finally {
            if (old == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, old);
            }
        }
    }

    @Test
    void fromSystemProperties_notANumber_throwsNamingProperty() {
        String key = SlabConfig.PREFIX + "decayMillis";
        System.setProperty(key, "soon");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, SlabConfig::fromSystemProperties);
            assertTrue(e.getMessage().contains("allocator4j.slab.decayMillis=soon"), e.getMessage());
        } finally {
            System.clearProperty(key);
        }
    }

    @Test
    void fromSystemProperties_checkFrees_defaultOffAndTrueTurnsItOn() {
        String key = SlabConfig.PREFIX + "checkFrees";
        assertFalse(SlabConfig.fromSystemProperties().checkFrees());
        System.setProperty(key, "true");
        try {
            assertEquals(SlabConfig.DEFAULT.withCheckFrees(true), SlabConfig.fromSystemProperties());
        } finally {
            System.clearProperty(key);
        }
    }

    @Test
    void fromSystemProperties_checkFreesNotBoolean_throwsNamingProperty() {
        String key = SlabConfig.PREFIX + "checkFrees";
        System.setProperty(key, "yes");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, SlabConfig::fromSystemProperties);
            assertTrue(e.getMessage().contains("allocator4j.slab.checkFrees=yes"), e.getMessage());
        } finally {
            System.clearProperty(key);
        }
    }

    @Test
    void slabBytesOf_largestClass_holdsAtLeastEightBlocks() {
        int last = SizeClass.COUNT - 1;
        assertEquals(256 * 1024, SlabConfig.DEFAULT.slabBytesOf(last));
        assertEquals(64 * 1024, SlabConfig.DEFAULT.slabBytesOf(0));
    }

    @Test
    void cacheCapacityOf_isBoundedByBytesAndBlocks() {
        assertEquals(256, SlabConfig.DEFAULT.cacheCapacityOf(0));
        assertEquals(2, SlabConfig.DEFAULT.cacheCapacityOf(SizeClass.COUNT - 1));
    }
}
