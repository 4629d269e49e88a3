/**
 * The conformance suite for {@link org.allocator4j.api.GlobalAllocator} implementations.
 */
package org.allocator4j.testkit;
