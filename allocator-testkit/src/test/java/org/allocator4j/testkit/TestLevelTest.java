package org.allocator4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TestLevelTest {
    private final String saved = System.getProperty(TestLevel.PROPERTY);

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(TestLevel.PROPERTY);
        } else {
            System.setProperty(TestLevel.PROPERTY, saved);
        }
    }

    @Test
    void current_propertyUnset_isDefault() {
        System.clearProperty(TestLevel.PROPERTY);
        assertEquals(TestLevel.DEFAULT, TestLevel.current());
    }

    @Test
    void current_deep_isDeepWithAboutHundredTimesTheWork() {
        System.setProperty(TestLevel.PROPERTY, " Deep ");
        assertEquals(TestLevel.DEEP, TestLevel.current());
        assertTrue(TestLevel.DEEP.operationsPerThread * TestLevel.DEEP.concurrentRounds
                >= 50 * TestLevel.DEFAULT.operationsPerThread * TestLevel.DEFAULT.concurrentRounds);
    }

    @Test
    void current_unknownLevel_throwsNamingTheValue() {
        System.setProperty(TestLevel.PROPERTY, "shallow");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, TestLevel::current);
        assertTrue(e.getMessage().contains(TestLevel.PROPERTY + "=shallow"), e.getMessage());
    }
}
