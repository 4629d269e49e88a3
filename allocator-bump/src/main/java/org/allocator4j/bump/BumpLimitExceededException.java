package org.allocator4j.bump;

import org.allocator4j.api.AllocationException;
import org.allocator4j.api.Layout;

/**
 * Thrown when a bump allocator would have to hold more bytes than its limit to satisfy a request: a
 * {@link BumpArena}'s {@linkplain BumpArena.Builder#limit(long) limit}, or the global variant's capacity
 * property. The allocator stays usable; smaller requests may still succeed.
 */
public class BumpLimitExceededException extends AllocationException {
    private static final long serialVersionUID = 1L;

    /** @serial the limit in bytes */
    private final long limit;
    /** @serial the bytes held when the request failed */
    private final long held;

    /**
     * Creates the exception.
     *
     * @param allocatorName the allocator that failed
     * @param layout        the request
     * @param limit         the limit in bytes
     * @param held          the bytes held from the parent when the request failed
     * @param fix           what to do about it (names the setting to raise)
     */
    public BumpLimitExceededException(String allocatorName, Layout layout, long limit, long held, String fix) {
        super(allocatorName, layout, "limit=" + limit + " bytes would be exceeded (held=" + held
                + ", free under the limit=" + (limit - held) + "); " + fix);
        this.limit = limit;
        this.held = held;
    }

    /** {@return the limit in bytes} */
    public long limit() {
        return limit;
    }

    /** {@return the bytes held from the parent when the request failed} */
    public long held() {
        return held;
    }
}
