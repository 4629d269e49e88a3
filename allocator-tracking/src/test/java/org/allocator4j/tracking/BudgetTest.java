package org.allocator4j.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.AllocatorMisuseException;
import org.allocator4j.api.AllocatorMisuseException.Kind;
import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.api.Layout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BudgetTest {
    private final TrackingAllocator tracking = Tracking.builder(GlobalAllocator.system())
            .name("service").budget(1000).sampleEvery(1).jmx(false).build();

    @AfterEach
    void tearDown() {
        tracking.close();
    }

    @Test
    void allocate_overBudget_throwsNamingBudgetLimitAndUse() {
        MemorySegment a = tracking.allocate(Layout.ofSize(600));
        BudgetExceededException e = assertThrows(BudgetExceededException.class,
                () -> tracking.allocate(Layout.ofSize(500)));
        assertTrue(e instanceof AllocationException);
        assertEquals("service", e.budget());
        assertEquals(1000, e.limit());
        assertEquals(600, e.used());
        assertTrue(e.getMessage().contains("budget 'service' exceeded: limit=1000, used=600, requested=500"),
                e.getMessage());
        assertEquals(600, tracking.budgetUsed(), "a refused request charges nothing");
        assertEquals(1, tracking.snapshot().failures());
        tracking.deallocate(a, Layout.ofSize(600));
        assertEquals(0, tracking.budgetUsed());
        tracking.deallocate(tracking.allocate(Layout.ofSize(1000)), Layout.ofSize(1000)); // usable again
    }

    @Test
    void reallocate_overBudget_keepsOldBlockAndCharge() {
        MemorySegment a = tracking.allocate(Layout.ofSize(600));
        assertThrows(BudgetExceededException.class, () -> tracking.reallocate(a, Layout.ofSize(600), 1001));
        assertEquals(600, tracking.budgetUsed());
        MemorySegment b = tracking.reallocate(a, Layout.ofSize(600), 100);
        assertEquals(100, tracking.budgetUsed());
        tracking.deallocate(b, Layout.ofSize(100));
    }

    @Test
    void scope_withinBudget_chargesItselfAndEveryAncestor() {
        try (BudgetScope request = tracking.openScope("request", 500);
             BudgetScope parse = request.openScope("parse", 300)) {
            MemorySegment a = parse.allocate(Layout.ofSize(200));
            assertEquals(200, parse.used());
            assertEquals(200, request.used());
            assertEquals(200, tracking.budgetUsed());
            BudgetExceededException e = assertThrows(BudgetExceededException.class,
                    () -> parse.allocate(Layout.ofSize(150)));
            assertEquals("parse", e.budget());
            assertEquals(300, e.limit());
            MemorySegment b = request.allocate(Layout.ofSize(250));
            BudgetExceededException up = assertThrows(BudgetExceededException.class,
                    () -> parse.allocate(Layout.ofSize(60)));
            assertEquals("request", up.budget(), "the nearest ancestor over its limit is named");
            assertEquals(450, up.used());
            assertEquals(200, parse.used(), "nothing charged on refusal");
            parse.deallocate(a, Layout.ofSize(200));
            request.deallocate(b, Layout.ofSize(250));
            assertEquals(0, tracking.budgetUsed());
        }
    }

    @Test
    void scope_serviceBudgetExhausted_namesTheService() {
        try (BudgetScope request = tracking.openScope("request", Long.MAX_VALUE)) {
            MemorySegment a = tracking.allocate(Layout.ofSize(900));
            BudgetExceededException e = assertThrows(BudgetExceededException.class,
                    () -> request.allocate(Layout.ofSize(200)));
            assertEquals("service", e.budget());
            tracking.deallocate(a, Layout.ofSize(900));
        }
    }

    private static MemorySegment leakyHandler(BudgetScope scope) {
        return scope.allocate(Layout.ofSize(64));
    }

    @Test
    void close_withLiveBlocks_reportsThemWithSites() {
        BudgetScope request = tracking.openScope("request", 500);
        MemorySegment leaked = leakyHandler(request);
        LeakException e = assertThrows(LeakException.class, request::close);
        assertEquals(1, e.report().liveBlocks());
        assertEquals(64, e.report().liveBytes());
        assertTrue(e.getMessage().contains("scope 'request' closed with live blocks"), e.getMessage());
        assertTrue(e.getMessage().contains("leakyHandler"), e.getMessage());
        assertThrows(AllocatorMisuseException.class, () -> request.allocate(Layout.ofSize(1)));
        request.deallocate(leaked, Layout.ofSize(64)); // freeing after close is allowed
        assertEquals(0, tracking.budgetUsed());
    }

    @Test
    void close_twiceOrBeforeChild_throwsScope() {
        BudgetScope parent = tracking.openScope("parent", 100);
        BudgetScope child = parent.openScope("child", 100);
        AllocatorMisuseException early = assertThrows(AllocatorMisuseException.class, parent::close);
        assertEquals(Kind.SCOPE, early.kind());
        assertTrue(early.getMessage().contains("child"), early.getMessage());
        child.close();
        parent.close();
        assertEquals(Kind.SCOPE, assertThrows(AllocatorMisuseException.class, parent::close).kind());
    }

    @Test
    void scope_deallocateForeignBlock_throwsWithoutForwarding() {
        try (BudgetScope a = tracking.openScope("a", 500); BudgetScope b = tracking.openScope("b", 500)) {
            MemorySegment block = a.allocate(Layout.ofSize(10));
            assertEquals(Kind.FOREIGN_BLOCK, assertThrows(AllocatorMisuseException.class,
                    () -> b.deallocate(block, Layout.ofSize(10))).kind());
            assertEquals(Kind.LAYOUT_MISMATCH, assertThrows(AllocatorMisuseException.class,
                    () -> a.deallocate(block, Layout.ofSize(11))).kind());
            assertEquals(10, a.used());
            a.deallocate(block, Layout.ofSize(10));
        }
    }

    @Test
    void openScope_negativeLimit_throwsNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tracking.openScope("x", -1));
        assertTrue(e.getMessage().contains("limit=-1"), e.getMessage());
    }
}
