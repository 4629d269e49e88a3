/**
 * The blind zoo: deliberately broken allocators, each with one bug of a kind real allocators have shipped,
 * written without reading the testkit's checks, to measure what the conformance suite catches.
 *
 * <p>Every entry is memory-safe: it hands out only memory it owns and never writes outside memory it got,
 * so its bug shows as a wrong answer (a wrong size, address, content, leak or exception), not as a JVM
 * crash. {@link org.allocator4j.testkit.blind.BlindZoo} lists them with their {@link
 * org.allocator4j.testkit.blind.BugKind} and the capabilities each declares.
 */
package org.allocator4j.testkit.blind;
