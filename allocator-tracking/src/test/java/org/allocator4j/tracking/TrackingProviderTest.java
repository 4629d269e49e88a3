package org.allocator4j.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.allocator4j.spi.GlobalAllocatorProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TrackingProviderTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(Tracking.INNER_PROPERTY);
    }

    @Test
    void serviceLoader_findsTrackingProvider() {
        assertTrue(ServiceLoader.load(GlobalAllocatorProvider.class).stream()
                .anyMatch(p -> p.type() == TrackingProvider.class));
        assertTrue(GlobalAllocator.available().contains(Tracking.NAME), GlobalAllocator.available()::toString);
    }

    @Test
    void named_tracking_wrapsSystemByDefault() {
        GlobalAllocator a = GlobalAllocator.named(Tracking.NAME);
        TrackingAllocator t = assertInstanceOf(TrackingAllocator.class, a);
        try (t) {
            assertEquals(Tracking.NAME, t.name());
            assertSame(GlobalAllocator.system(), t.inner());
            t.deallocate(t.allocate(Layout.ofSize(10)), Layout.ofSize(10));
            assertEquals(1, t.snapshot().allocations());
        }
    }

    @Test
    void create_innerPropertyNamingTracking_throwsNamingTheProperty() {
        System.setProperty(Tracking.INNER_PROPERTY, "tracking");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrackingProvider().create());
        assertTrue(e.getMessage().contains("-Dallocator4j.tracking.inner=tracking"), e.getMessage());
    }

    @Test
    void create_innerPropertyUnknown_throwsListingNames() {
        System.setProperty(Tracking.INNER_PROPERTY, "nonesuch");
        RuntimeException e = assertThrows(RuntimeException.class, () -> new TrackingProvider().create());
        assertTrue(e.getMessage().contains("nonesuch"), e.getMessage());
    }

    @Test
    void builder_badProperty_throwsNamingIt() {
        System.setProperty(Tracking.SAMPLE_EVERY_PROPERTY, "often");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Tracking.builder(GlobalAllocator.system()));
            assertTrue(e.getMessage().contains("-Dallocator4j.tracking.sampleEvery=often"), e.getMessage());
        } finally {
            System.clearProperty(Tracking.SAMPLE_EVERY_PROPERTY);
        }
    }
}
