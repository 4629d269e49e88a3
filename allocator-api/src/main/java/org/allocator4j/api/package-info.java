/**
 * The allocator contract: {@link org.allocator4j.api.Layout}, {@link org.allocator4j.api.GlobalAllocator},
 * its exceptions, global resolution ({@link org.allocator4j.api.Resolution}) and the built-in
 * {@code system} allocator.
 *
 * <p>Restricted FFM calls live in two classes only, {@code LibC} and {@code ScopedArena}, each under a
 * {@code // SAFETY:} comment.
 */
package org.allocator4j.api;
