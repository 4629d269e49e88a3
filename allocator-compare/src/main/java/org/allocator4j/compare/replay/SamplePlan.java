package org.allocator4j.compare.replay;

import java.util.Arrays;

/**
 * The event counts after which a replay samples the footprint: the same for every strategy of one trace,
 * so that every row's figures are read at the same points. It holds 0 (before the first event), every
 * {@code ceil(events / samples)}-th event, the event after which live bytes peak (so the peak is not missed
 * between samples) and the last event.
 *
 * @param points the event counts, ascending and distinct; a sample "after {@code k} events" is read once
 *               the {@code k}-th event was replayed
 */
record SamplePlan(long[] points) {
    /** Copies and checks the points. */
    SamplePlan {
        points = points.clone();
        for (int i = 1; i < points.length; i++) {
            if (points[i] <= points[i - 1]) {
                throw new IllegalArgumentException("points[" + i + "]=" + points[i] + " is not above points["
                        + (i - 1) + "]=" + points[i - 1] + "; expected ascending, distinct event counts");
            }
        }
    }

    /**
     * {@return the plan of a trace of {@code events} events}
     *
     * @param samples   the evenly spaced samples wanted, at least 1
     * @param peakEvent the index of the event after which live bytes peak, -1 if unknown
     * @throws IllegalArgumentException if {@code events < 1} or {@code samples < 1}
     */
    static SamplePlan of(long events, int samples, long peakEvent) {
        if (events < 1) {
            throw new IllegalArgumentException("events=" + events + " is below 1; a plan needs events");
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples=" + samples + " is below 1");
        }
        long interval = Math.max(1, (events + samples - 1) / samples); // at most samples of them
        long[] all = new long[(int) (events / interval) + 3];
        int n = 0;
        all[n++] = 0;
        for (long k = interval; k <= events; k += interval) {
            all[n++] = k;
        }
        all[n++] = events;
        if (peakEvent >= 0 && peakEvent < events) {
            all[n++] = peakEvent + 1;
        }
        long[] sorted = Arrays.stream(all, 0, n).sorted().distinct().toArray();
        return new SamplePlan(sorted);
    }

    /** {@return the number of points} */
    int size() {
        return points.length;
    }

    /** {@return point {@code i}} */
    long point(int i) {
        return points[i];
    }

    @Override
    public long[] points() {
        return points.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SamplePlan p && Arrays.equals(points, p.points);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(points);
    }

    @Override
    public String toString() {
        return "SamplePlan[" + points.length + " points, last=" + points[points.length - 1] + "]";
    }
}
