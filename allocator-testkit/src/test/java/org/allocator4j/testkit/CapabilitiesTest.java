package org.allocator4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

import org.allocator4j.api.AllocatorMisuseException.Kind;

class CapabilitiesTest {

    @Test
    void standard_generalPurposeAllocator_freesIndividuallyThreadSafeUnchecked() {
        Capabilities standard = Capabilities.standard();
        assertEquals(Freeing.INDIVIDUALLY, standard.freeing());
        assertTrue(standard.threadSafe());
        assertEquals(Set.of(), standard.detects());
        assertFalse(standard.takesParent());
        assertEquals(Capabilities.DEFAULT_MAX_SIZE, standard.maxSize());
        assertEquals(Capabilities.DEFAULT_MAX_ALIGNMENT, standard.maxAlignment());
    }

    @Test
    void withers_eachChange_keepTheOthers() {
        Capabilities arena = Capabilities.standard().withFreeing(Freeing.LAST_ONLY).confinedToOneThread()
                .withMaxSize(1 << 20).withMaxAlignment(4096).withDetection(Kind.DOUBLE_FREE, Kind.OVERRUN)
                .overParent();
        assertEquals(new Capabilities(Freeing.LAST_ONLY, Set.of(Kind.DOUBLE_FREE, Kind.OVERRUN), false, 1 << 20,
                4096, true), arena);
    }

    @Test
    void constructor_alignmentNotPowerOfTwo_throwsNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Capabilities.standard().withMaxAlignment(48));
        assertTrue(e.getMessage().contains("maxAlignment=48"), e.getMessage());
    }

    @Test
    void constructor_zeroMaxSize_throwsNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Capabilities.standard().withMaxSize(0));
        assertTrue(e.getMessage().contains("maxSize=0"), e.getMessage());
    }

    @Test
    void missing_confinedAllocatorAndThreadCheck_givesTheReason() throws NoSuchMethodException {
        Requires requires = AllocatorContract.class.getMethod("operations_twoThreads_keepEveryLaw")
                .getAnnotation(Requires.class);
        assertEquals(1, CapabilityCondition.missing(requires, Capabilities.standard().confinedToOneThread()).size());
        assertEquals(0, CapabilityCondition.missing(requires, Capabilities.standard()).size());
    }
}
