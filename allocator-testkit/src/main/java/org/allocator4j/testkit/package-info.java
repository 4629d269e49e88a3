/**
 * The conformance suite for {@link org.allocator4j.api.GlobalAllocator} implementations.
 *
 * <ul>
 *   <li>{@link org.allocator4j.testkit.AllocatorContract}: implement it in a test class, return your
 *       allocator, and every law is checked (jqwik properties, stateful sequences, the edges of the
 *       declared ranges, exact accounting of the memory it takes, genuine exhaustion, threads and high
 *       contention, failure injection, checked mode); declare what the allocator promises with
 *       {@link org.allocator4j.testkit.Capabilities}, and what does not apply is skipped with the reason.</li>
 *   <li>{@link org.allocator4j.testkit.ProviderContract}: the same for a
 *       {@link org.allocator4j.spi.GlobalAllocatorProvider}, on the class path and the module path.</li>
 *   <li>{@link org.allocator4j.testkit.AllocatorTest}: for library authors, a JUnit Jupiter test run once
 *       per available allocator.</li>
 * </ul>
 *
 * <p>Every failure is a {@link org.allocator4j.testkit.ContractViolation} naming the
 * {@link org.allocator4j.testkit.Rule} it broke. The system property {@code allocator4j.testkit.level}
 * ({@code default} or {@code deep}) sets how hard the suite works.
 */
package org.allocator4j.testkit;
