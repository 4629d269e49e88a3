package org.allocator4j.testkit;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.Transformer;

/**
 * The contract's stateful sequences (jqwik {@link ActionChain}): allocate, allocateZeroed, deallocate and
 * reallocate in random order over one allocator, every law checked after each step; jqwik shrinks a
 * failing chain to the smallest one, which the failure's journal lists.
 */
final class Sequences {
    static final int MAX_OPERATIONS = 40;

    private Sequences() {
    }

    static ActionChainArbitrary<Heap> chains(AllocatorContract contract) {
        Capabilities capabilities = contract.capabilities();
        var layouts = Layouts.any(capabilities);
        var sizes = Layouts.sizes(capabilities);
        Arbitrary<Integer> picks = Arbitraries.integers().between(0, 1 << 16);
        return ActionChain.<Heap>startWith(() -> new Heap(contract.newAllocator()))
                .withAction(3, (Action.Independent<Heap>) () -> layouts.map(
                        layout -> Transformer.mutate("allocate(" + layout + ")", heap -> heap.allocate(layout))))
                .withAction(1, (Action.Independent<Heap>) () -> layouts.map(
                        layout -> Transformer.mutate("allocateZeroed(" + layout + ")",
                                heap -> heap.allocateZeroed(layout))))
                .withAction(2, new OnLive(picks.map(pick -> Transformer.mutate("deallocate(live[" + pick + "])",
                        heap -> heap.free(heap.pick(pick))))))
                .withAction(2, new OnLive(Combinators.combine(picks, sizes).as((pick, size) -> Transformer.mutate(
                        "reallocate(live[" + pick + "], newSize=" + size + ")",
                        heap -> heap.reallocate(heap.pick(pick), size)))))
                .withMaxTransformations(MAX_OPERATIONS);
    }

    /** Runs a chain, every live block checked between operations, then frees all and closes the allocator. */
    static void run(AllocatorContract contract, ActionChain<?> chain) throws Exception {
        @SuppressWarnings("unchecked")
        ActionChain<Heap> heaps = (ActionChain<Heap>) chain;
        Heap heap;
        try {
            heap = heaps.withInvariant("every live block intact", h -> h.verifyAll("between operations")).run();
        } catch (AssertionError failure) {
            // jqwik wraps the failure in its own, whose message lists the chain's actions: keep our rule first.
            for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof ContractViolation violation) {
                    String actions = failure.getMessage().lines()
                            .takeWhile(line -> !line.startsWith("rule=")).reduce((a, b) -> a + "\n" + b).orElse("");
                    throw new ContractViolation(violation, "jqwik " + actions.strip(), failure);
                }
            }
            throw failure;
        }
        heap.freeAll();
        contract.close(heap.allocator());
    }

    /** An action on a live block, picked by index modulo the number of live blocks. */
    private record OnLive(Arbitrary<Transformer<Heap>> transformers) implements Action.Independent<Heap> {
        @Override
        public boolean precondition(Heap heap) {
            return heap.hasLive();
        }

        @Override
        public Arbitrary<Transformer<Heap>> transformer() {
            return transformers;
        }
    }
}
