/**
 * A decorator that counts, measures, checks and caps any {@link org.allocator4j.api.GlobalAllocator}:
 * {@link org.allocator4j.tracking.Tracking#wrap Tracking.wrap(inner)}, or the {@code tracking} provider.
 *
 * <p>Per-thread counters ({@code Statistics}) keep statistics cheap enough to leave on; sites are sampled
 * into a direct-mapped table ({@code SampledBlocks}); checked mode keeps a book of every block
 * ({@code CheckedBlocks}) with red zones ({@code RedZone}); budgets form a tree ({@code BudgetNode}); a
 * recorded trace ({@code TraceRecorder}) is written by {@link org.allocator4j.trace.TraceWriter} (module
 * {@code org.allocator4j.trace}) in the format of {@link org.allocator4j.trace.TraceFormat} and read back by
 * {@link org.allocator4j.trace.TraceReader}.
 *
 * <p>Access modes: {@code Statistics} writes each thread's counters with plain stores (single writer)
 * and sums them with plain loads; its two shared counters use {@code VarHandle} calls named for their mode
 * ({@code getOpaque}, {@code getAndAdd}, {@code compareAndExchange}), each commented with what it
 * publishes. This module makes no restricted FFM call: red-zoned blocks are slices of the inner
 * allocator's blocks.
 */
package org.allocator4j.tracking;
