package org.allocator4j.compare.strategy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.allocator4j.api.GlobalAllocator;
import org.allocator4j.compare.footprint.FootprintProbe;
import org.allocator4j.compare.footprint.GlibcMalloc;

/**
 * The strategies {@code compare} can replay on: the built-in {@code system} allocator, jemalloc and
 * mimalloc where their libraries load, and every provider {@link GlobalAllocator#available()} lists (this
 * project's strategies on the class path, whatever they are). A strategy that cannot be used is listed as
 * skipped with the reason, never fatal.
 *
 * <p>Footprints: {@code system} is measured with {@code mallinfo2} (bytes glibc holds from the OS),
 * jemalloc and mimalloc with their own statistics, and providers by the bytes in allocated {@code malloc}
 * chunks, which is what they hold from their parent when their memory comes from {@code malloc} directly,
 * from {@code system} or from a JDK arena. The replay reports {@code n/a} for a provider whose peak footprint
 * measured so is below half its peak live bytes (its memory comes from elsewhere, e.g. {@code mmap}).
 */
public final class StrategyRegistry {
    /**
     * A strategy that was not replayed, or not to its end, and why.
     *
     * @param name   the strategy
     * @param reason why, for the report
     * @param failed true if something failed (its worker timed out, ran out of memory, crashed), false if the
     *               strategy cannot be used here (a library that is not installed)
     */
    public record Skipped(String name, String reason, boolean failed) implements java.io.Serializable {
        /** A strategy that cannot be used here: not a failure. */
        public Skipped(String name, String reason) {
            this(name, reason, false);
        }
    }

    /** The usable strategies, in replay order, and the skipped ones. */
    public record Found(List<Strategy> strategies, List<Skipped> skipped) {
    }

    private StrategyRegistry() {
    }

    /**
     * {@return the names of every strategy there may be, without loading any native library}: system,
     * jemalloc, mimalloc and every provider, in replay order; each replay JVM then finds out whether its
     * strategy can be used
     */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        names.add(GlobalAllocator.SYSTEM);
        for (NativeLibrary library : NativeLibrary.values()) {
            names.add(library.allocatorName);
        }
        try {
            for (String name : GlobalAllocator.available()) {
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
        } catch (RuntimeException e) {
            // listing providers failed: find() in the worker reports it for "providers"
        }
        return names;
    }

    /**
     * {@return the strategies named by {@code names} in that order, or every one if empty}: {@code system}
     * first (glibc's heap is then as clean as it gets), then jemalloc and mimalloc, then the providers
     *
     * @throws IllegalArgumentException if a name is neither usable nor skipped; the message lists the names
     */
    public static Found find(List<String> names) {
        Map<String, Strategy> usable = new LinkedHashMap<>();
        Map<String, Skipped> skipped = new LinkedHashMap<>();
        usable.put(GlobalAllocator.SYSTEM, new Strategy(GlobalAllocator.SYSTEM, "built-in", GlobalAllocator::system,
                GlibcMalloc.heldFromOs()));
        for (NativeLibrary library : NativeLibrary.values()) {
            String name = library.allocatorName;
            if (!names.isEmpty() && !names.contains(name)) {
                continue; // do not load a library nobody asked for
            }
            try {
                NativeAllocator allocator = NativeAllocator.load(library);
                usable.put(name, new Strategy(name, "native", () -> allocator, allocator.footprint()));
            } catch (UnsupportedOperationException e) {
                skipped.put(name, new Skipped(name, e.getMessage()));
            }
        }
        List<String> providers;
        try {
            providers = GlobalAllocator.available();
        } catch (RuntimeException e) {
            providers = List.of();
            skipped.put("providers", new Skipped("providers", "listing providers failed: " + e));
        }
        FootprintProbe parent = GlibcMalloc.inUse();
        for (String name : providers) {
            if (!name.equals(GlobalAllocator.SYSTEM) && !usable.containsKey(name)) {
                usable.put(name, new Strategy(name, "provider", () -> GlobalAllocator.named(name), parent));
            }
        }
        if (names.isEmpty()) {
            return new Found(new ArrayList<>(usable.values()), new ArrayList<>(skipped.values()));
        }
        List<Strategy> chosen = new ArrayList<>();
        List<Skipped> chosenSkipped = new ArrayList<>();
        for (String name : names) {
            if (usable.containsKey(name)) {
                chosen.add(usable.get(name));
            } else if (skipped.containsKey(name)) {
                chosenSkipped.add(skipped.get(name));
            } else {
                List<String> all = new ArrayList<>(usable.keySet());
                all.addAll(skipped.keySet());
                throw new IllegalArgumentException("strategy=" + name + " is unknown; expected one of " + all);
            }
        }
        return new Found(chosen, chosenSkipped);
    }
}
