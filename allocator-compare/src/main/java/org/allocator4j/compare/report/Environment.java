package org.allocator4j.compare.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a run measured and the versions of what it ran on, for the JSON report.
 *
 * @param jdk         the JDK's vendor and version
 * @param glibc       glibc's version ({@code gnu_get_libc_version}), or "n/a"
 * @param os          the operating system and architecture
 * @param cpuModel    the CPU's model name ({@code /proc/cpuinfo}), or "n/a"
 * @param cores       processors available to the JVM
 * @param memoryBytes the machine's memory ({@code /proc/meminfo} MemTotal), -1 if unknown
 */
public record Environment(String jdk, String glibc, String os, String cpuModel, int cores, long memoryBytes) {

    /** {@return this machine, with {@code glibc} as glibc's version} */
    public static Environment current(String glibc) {
        return new Environment(System.getProperty("java.vm.vendor") + " " + Runtime.version(), glibc,
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                field(Path.of("/proc/cpuinfo"), "model name").orElse("n/a"),
                Runtime.getRuntime().availableProcessors(),
                field(Path.of("/proc/meminfo"), "MemTotal").map(Environment::kibibytes).orElse(-1L));
    }

    private static java.util.Optional<String> field(Path file, String name) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equals(name)) {
                    return java.util.Optional.of(line.substring(colon + 1).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: unknown
        }
        return java.util.Optional.empty();
    }

    private static long kibibytes(String value) {
        String digits = value.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? -1 : Long.parseLong(digits) * 1024;
    }
}
