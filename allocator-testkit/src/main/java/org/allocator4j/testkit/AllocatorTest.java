package org.allocator4j.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * For library authors: a JUnit Jupiter test run once per allocator available, with the allocator injected
 * as a {@link org.allocator4j.api.GlobalAllocator} parameter, so that a library proves it works whatever
 * allocator the application chooses.
 * {@snippet :
 * class MyBufferTest {
 *     @AllocatorTest
 *     void write_thenRead_roundTrips(GlobalAllocator allocator) {
 *         try (MyBuffer buffer = new MyBuffer(allocator, 1024)) { ... }
 *     }
 * }
 * }
 * The allocators are {@link org.allocator4j.api.GlobalAllocator#available()}: every provider found plus
 * {@code system}; each invocation gets a fresh one from
 * {@link org.allocator4j.api.GlobalAllocator#named(String)}, closed afterwards if it is
 * {@link AutoCloseable}. Each invocation is named after its allocator, e.g. {@code [system]}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@TestTemplate
@ExtendWith(EachAllocatorExtension.class)
public @interface AllocatorTest {
}
