package org.allocator4j.compare.report;

import java.util.Locale;

/** Number formatting shared by the table, the JSON and the chart. */
public final class Reports {
    private Reports() {
    }

    /** {@return {@code bytes} in B, KiB, MiB or GiB with 3 significant digits, or "n/a" if negative} */
    public static String bytes(long bytes) {
        if (bytes < 0) {
            return "n/a";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value < 10 ? "%.2f %s" : value < 100 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    }

    /** {@return {@code value} with {@code digits} decimals, or "n/a" if NaN} */
    public static String decimal(double value, int digits) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%." + digits + "f", value);
    }

    /** {@return {@code fraction} as a percentage, or "n/a" if NaN} */
    public static String percent(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    /** {@return {@code nanos} as milliseconds with 2 decimals, or "n/a" if NaN or negative} */
    static String millis(double nanos) {
        return Double.isNaN(nanos) || nanos < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    /** {@return {@code value} with thousands separators} */
    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** {@return the smallest 1, 2 or 5 times a power of ten that is at least {@code value}, at least 1} */
    static long niceCeiling(long value) {
        long step = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (m * step >= value) {
                    return m * step;
                }
            }
            if (step > Long.MAX_VALUE / 10) {
                return value;
            }
            step *= 10;
        }
    }

    /** Creates the directory {@code file} is to be written in, if it has one and it does not exist. */
    static void createParent(java.nio.file.Path file) throws java.io.IOException {
        java.nio.file.Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            java.nio.file.Files.createDirectories(parent);
        }
    }
}
