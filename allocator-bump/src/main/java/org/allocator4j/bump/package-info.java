/**
 * Bump allocation: {@link org.allocator4j.bump.BumpArena} (chunked, bump-down, reset, frames, a
 * per-thread scratch stack, scoped {@link java.lang.foreign.Arena}s) and the global thread-safe variant
 * offered by {@link org.allocator4j.bump.BumpAllocatorProvider} under the name {@code bump}.
 *
 * <p>Restricted FFM calls ({@code reinterpret}) are made in one class only, {@code Reinterpret}, each
 * under a {@code // SAFETY:} comment. VarHandle accesses name their mode at the call site
 * ({@code compareAndSet}, {@code getAcquire}); a volatile field read or write says in a line comment what
 * it publishes.
 */
package org.allocator4j.bump;
