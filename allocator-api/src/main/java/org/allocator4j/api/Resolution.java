package org.allocator4j.api;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.allocator4j.spi.GlobalAllocatorProvider;

/**
 * What global resolution chooses, or would choose, and why: the providers found on the class and module
 * path, the {@value GlobalAllocator#GLOBAL_PROPERTY} property, and the outcome. Obtained from
 * {@link GlobalAllocator#resolution()} without creating an allocator.
 *
 * <p>{@link #report()} renders it as lines that each start with {@link #PREFIX}; the same text is the
 * message of {@link AllocatorResolutionException}.
 */
public final class Resolution {

    /** The prefix of every line of a report. */
    public static final String PREFIX = "allocator4j: ";
    /** The headline of a report where two or more providers were found and none was chosen. */
    public static final String CONFLICT = "more than one global allocator provider found; exactly one may be installed";
    /** The headline of a report where the property names no provider there is. */
    public static final String UNKNOWN_NAME = "names no allocator there is";
    /** The line that names provider names claimed by more than one jar. */
    public static final String AMBIGUOUS = "claimed by more than one provider, so no property can choose it: ";
    /** The fix printed under a conflict. */
    public static final String CONFLICT_FIX = "Fix: keep exactly one of these jars on the class path or module path,"
            + " or choose one with -D" + GlobalAllocator.GLOBAL_PROPERTY + "=NAME, NAME one of: ";
    /** The fix printed under an unknown name. */
    public static final String UNKNOWN_NAME_FIX = "Fix: name one of the allocators there are, or add the jar"
            + " that provides the one named; the names there are: ";
    /** What follows {@code provider 'NAME' } in the headline when its {@code create()} threw; the cause follows. */
    public static final String CREATE_FAILED = "failed to create its allocator: ";
    /** What follows {@code provider 'NAME' } in the headline when its {@code create()} returned null. */
    public static final String CREATE_RETURNED_NULL = "returned null from create(); a provider must return its allocator";
    /** What follows {@code provider 'NAME' } in the headline when its {@code create()} called {@code global()}. */
    public static final String REENTRANT = "called GlobalAllocator.global() from its create(), before the global"
            + " allocator was chosen; inside create() use GlobalAllocator.system() or GlobalAllocator.named(NAME)";
    /**
     * What follows {@code provider 'NAME' } in the headline when its allocator has another name; the
     * allocator's name follows.
     */
    public static final String NAME_MISMATCH = "created an allocator whose name() is not the provider's: ";
    /** The line under a failed provider's headline that says how it was chosen. */
    public static final String CHOSEN_BY = "it was chosen ";
    /** The fix printed under a provider's failure. */
    public static final String PROVIDER_FAILED_FIX = "Fix: remove the cause above (a setting, or a bug in the"
            + " provider's jar), or choose another allocator with -D" + GlobalAllocator.GLOBAL_PROPERTY
            + "=NAME, NAME one of: ";

    /** How resolution ended. */
    public enum Outcome {
        /** No provider found: the built-in {@code system} allocator. */
        SYSTEM_DEFAULT,
        /** Exactly one provider found, and chosen. */
        SINGLE_PROVIDER,
        /** The property chose a provider (or {@code system}). */
        PROPERTY,
        /** Two or more providers and no property: failure. */
        CONFLICT,
        /** The property names no provider there is (or one that failed to load): failure. */
        UNKNOWN_NAME,
        /**
         * A provider was chosen, but it failed to give its allocator: its {@code create()} threw, returned
         * null or called {@code global()}, or the allocator's name is not the provider's. Only the
         * resolution of an {@link AllocatorResolutionException} has this outcome.
         */
        PROVIDER_FAILED;

        /** {@return whether this outcome chooses an allocator} */
        public boolean chooses() {
            return this == SYSTEM_DEFAULT || this == SINGLE_PROVIDER || this == PROPERTY;
        }
    }

    /**
     * A provider found by {@link java.util.ServiceLoader}.
     *
     * @param name          the provider's {@code name()}, or null if it could not be loaded
     * @param providerClass the provider's class name
     * @param source        where it came from: its module (if named) and jar, or {@code "unknown source"}
     * @param error         why it could not be loaded, or null if it loaded
     */
    public record Candidate(String name, String providerClass, String source, String error) {
        /** {@return whether the provider loaded and can be chosen} */
        public boolean loaded() {
            return error == null;
        }

        String line() {
            String shown = name == null ? "?" : name;
            String line = PREFIX + "  [" + shown + "] " + providerClass + " from " + source;
            return error == null ? line : line + " -- BROKEN, ignored: " + error;
        }
    }

    private final Outcome outcome;
    private final String chosen;
    private final String property;
    private final List<Candidate> candidates;
    private final GlobalAllocatorProvider chosenProvider;
    private final String request;
    /** For {@link Outcome#PROVIDER_FAILED}: the headline after the prefix, and how the provider was chosen. */
    private final String failure;
    private final String chosenBy;

    Resolution(Outcome outcome, String chosen, String property, List<Candidate> candidates,
               GlobalAllocatorProvider chosenProvider) {
        this(outcome, chosen, property, candidates, chosenProvider,
                "-D" + GlobalAllocator.GLOBAL_PROPERTY + "=" + property, null, null);
    }

    private Resolution(Outcome outcome, String chosen, String property, List<Candidate> candidates,
                       GlobalAllocatorProvider chosenProvider, String request, String failure, String chosenBy) {
        this.request = request;
        this.failure = failure;
        this.chosenBy = chosenBy;
        this.outcome = outcome;
        this.chosen = chosen;
        this.property = property;
        this.candidates = List.copyOf(candidates);
        this.chosenProvider = chosenProvider;
    }

    /** {@return how resolution ended} */
    public Outcome outcome() {
        return outcome;
    }

    /** {@return the name of the chosen allocator, empty when resolution fails} */
    public Optional<String> chosen() {
        return Optional.ofNullable(chosen);
    }

    /** {@return the value of the {@value GlobalAllocator#GLOBAL_PROPERTY} property, empty if unset} */
    public Optional<String> property() {
        return Optional.ofNullable(property);
    }

    /** {@return every provider found, loaded or broken, in {@code ServiceLoader} order} */
    public List<Candidate> candidates() {
        return candidates;
    }

    /** {@return the chosen candidate, empty for {@code system} or a failure} */
    public Optional<Candidate> chosenCandidate() {
        return candidates.stream().filter(c -> c.loaded() && c.name().equals(chosen)).findFirst();
    }

    /**
     * {@return the names that the property may take: every loaded provider's that no other provider claims
     * too, and {@code system}}
     */
    public List<String> names() {
        List<String> ambiguous = ambiguousNames();
        return Stream.concat(candidates.stream().filter(Candidate::loaded).map(Candidate::name),
                Stream.of(GlobalAllocator.SYSTEM)).filter(n -> !ambiguous.contains(n)).distinct().sorted().toList();
    }

    /** {@return names claimed by more than one loaded provider: no property can choose those} */
    public List<String> ambiguousNames() {
        return candidates.stream().filter(Candidate::loaded)
                .collect(Collectors.groupingBy(Candidate::name, Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() > 1).map(java.util.Map.Entry::getKey).sorted().toList();
    }

    GlobalAllocatorProvider chosenProvider() {
        return chosenProvider;
    }

    /** {@return this resolution as asked for by {@code request} (say, a call naming the allocator)} */
    Resolution requestedBy(String request) {
        return new Resolution(outcome, chosen, property, candidates, chosenProvider, request, failure, chosenBy);
    }

    /**
     * {@return this resolution, which chose a provider, as failed by that provider} The headline becomes
     * {@code provider 'NAME' } followed by {@code what}; a line says how the provider was chosen.
     *
     * @param what what the provider did, one of {@link #CREATE_FAILED} (with the cause),
     *             {@link #CREATE_RETURNED_NULL}, {@link #REENTRANT}, {@link #NAME_MISMATCH} (with the name)
     */
    Resolution failedBy(String what) {
        String how = switch (outcome) {
            case SINGLE_PROVIDER -> "as the only provider found";
            case PROPERTY -> "by " + request;
            default -> throw new IllegalStateException("outcome=" + outcome + " chose no provider to fail");
        };
        return new Resolution(Outcome.PROVIDER_FAILED, null, property, candidates, null, request,
                "provider '" + chosen + "' " + what, how);
    }

    /** {@return the report: the outcome and why, one line per provider found, and the fix on failure} */
    public String report() {
        String headline = switch (outcome) {
            case SYSTEM_DEFAULT -> "no global allocator provider found; using the built-in '"
                    + GlobalAllocator.SYSTEM + "' allocator";
            case SINGLE_PROVIDER -> "one global allocator provider found; using '" + chosen + "'";
            case PROPERTY -> request + " chooses '" + chosen + "'";
            case CONFLICT -> CONFLICT + " (" + candidates.stream().filter(Candidate::loaded).count() + " found):";
            case UNKNOWN_NAME -> request + " " + UNKNOWN_NAME;
            case PROVIDER_FAILED -> failure;
        };
        StringBuilder report = new StringBuilder(PREFIX).append(headline);
        if (outcome == Outcome.PROVIDER_FAILED) {
            report.append('\n').append(PREFIX).append(CHOSEN_BY).append(chosenBy).append(':');
        }
        for (Candidate candidate : candidates) {
            report.append('\n').append(candidate.line());
        }
        String names = String.join(", ", names());
        List<String> ambiguous = ambiguousNames();
        if (!outcome.chooses() && !ambiguous.isEmpty()) {
            report.append('\n').append(PREFIX).append(AMBIGUOUS).append(String.join(", ", ambiguous))
                    .append(" (keep only one of the jars claiming each)");
        }
        switch (outcome) {
            case CONFLICT -> report.append('\n').append(PREFIX).append(CONFLICT_FIX).append(names);
            case UNKNOWN_NAME -> report.append('\n').append(PREFIX).append(UNKNOWN_NAME_FIX).append(names);
            case PROVIDER_FAILED -> report.append('\n').append(PREFIX).append(PROVIDER_FAILED_FIX).append(names);
            default -> { }
        }
        return report.toString();
    }

    @Override
    public String toString() {
        return candidates.stream().map(Candidate::toString)
                .collect(Collectors.joining(", ", "Resolution[" + outcome + ", chosen=" + chosen + ", ", "]"));
    }
}
