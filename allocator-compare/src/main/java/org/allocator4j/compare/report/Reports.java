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
}
