package org.allocator4j.compare.footprint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The process's anonymous resident memory, from Linux's {@code /proc/self/statm} ({@code resident - shared}
 * pages: what the process wrote into memory it got from the OS, file-backed pages such as the JVM's code
 * left out): compare's footprint, the one measure every strategy shares.
 *
 * <p>Reading allocates nothing, natively or on the heap: the file is opened once, into a direct buffer
 * allocated once, both when the probe is created (before the replay's baseline), and the numbers are
 * parsed by hand. So sampling cannot perturb the memory it measures (a probe that calls {@code malloc}
 * moves the arena it reads). Not thread-safe: the replaying thread reads it.
 */
public final class ResidentMemory implements AutoCloseable {
    /** What the footprint figures measure, for the reports. */
    public static final String SOURCE = "anonymous RSS of the worker process (/proc/self/statm resident - shared)";

    private static final Path STATM = Path.of("/proc/self/statm");

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(256);
    private final long pageSize;

    private ResidentMemory(FileChannel channel, long pageSize) {
        this.channel = channel;
        this.pageSize = pageSize;
    }

    /**
     * {@return a probe of this process, or empty where {@code /proc/self/statm} cannot be read (not Linux)}
     *
     * @param pageSize the size of a page, in bytes (statm counts pages)
     */
    public static Optional<ResidentMemory> open(long pageSize) {
        if (!Files.isReadable(STATM)) {
            return Optional.empty();
        }
        try {
            ResidentMemory probe = new ResidentMemory(FileChannel.open(STATM, StandardOpenOption.READ), pageSize);
            probe.bytes(); // the first read, so that nothing the channel sets up lazily happens later
            return Optional.of(probe);
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /**
     * {@return the anonymous resident bytes of this process now}
     *
     * @throws UncheckedIOException if the file cannot be read
     * @throws IllegalStateException if its contents are not statm's numbers
     */
    public long bytes() {
        buffer.clear();
        try {
            while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
                // statm is one short line; a read returns it whole or in pieces
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + STATM, e);
        }
        int end = buffer.position();
        long resident = -1;
        long shared = -1;
        int field = 0;
        long value = 0;
        boolean digits = false;
        for (int i = 0; i <= end && field <= 2; i++) {
            byte b = i < end ? buffer.get(i) : (byte) ' ';
            if (b >= '0' && b <= '9') {
                value = value * 10 + (b - '0');
                digits = true;
            } else if (digits) {
                if (field == 1) {
                    resident = value;
                } else if (field == 2) {
                    shared = value;
                }
                field++;
                value = 0;
                digits = false;
            }
        }
        if (resident < 0 || shared < 0) {
            throw new IllegalStateException(STATM + " has no resident and shared fields; read bytes=" + end);
        }
        return (resident - shared) * pageSize;
    }

    /** Closes the file. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + STATM, e);
        }
    }
}
