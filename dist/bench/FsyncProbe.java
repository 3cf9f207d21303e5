import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * What one durable 1 KiB append costs on this disk with nothing else in the way: append to a growing file and
 * fdatasync ({@code FileChannel.force(false)}), as a broker's log does, -Dn times (2000); once back to back, once with
 * a 300 µs pause before each append. A blocking persistent send costs at least the paused figure on any broker that
 * promises the message is on disk when the send returns (its fsync follows a round trip in which the disk was idle,
 * and on the benchmark VM an fsync after an idle gap takes about twice as long as one right after another), so the
 * broker's own share of a send is its latency minus that. One "RESULT" line, like the other benchmark programs.
 *
 * <p>Usage: {@code java dist/bench/FsyncProbe.java <directory on the disk under test>}. Thread-safety: a program.
 */
public final class FsyncProbe {
    public static void main(String[] args) throws IOException {
        int n = Integer.getInteger("n", 2000);
        long[] tight = measure(Path.of(args[0]), n, 0);
        long[] paused = measure(Path.of(args[0]), n, 300_000);
        System.out.printf(
                Locale.ROOT,
                "RESULT mode=fsync n=%d append_fdatasync_p50_us=%.0f p90_us=%.0f p99_us=%.0f mean_us=%.0f"
                        + " after_300us_pause_p50_us=%.0f p90_us=%.0f%n",
                n,
                tight[n / 2] / 1e3,
                tight[n * 9 / 10] / 1e3,
                tight[n * 99 / 100] / 1e3,
                Arrays.stream(tight).average().orElse(0) / 1e3,
                paused[n / 2] / 1e3,
                paused[n * 9 / 10] / 1e3);
    }

    /** Sorted nanoseconds of {@code n} appends plus fdatasync, each after a pause of {@code pauseNanos}. */
    private static long[] measure(Path dir, int n, long pauseNanos) throws IOException {
        Path file = Files.createTempFile(dir, "fsync-probe", ".log");
        long[] ns = new long[n];
        ByteBuffer record = ByteBuffer.allocateDirect(1024 + 70); // a 1 KiB record in its batch
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int i = 0; i < n; i++) {
                if (pauseNanos > 0) {
                    LockSupport.parkNanos(pauseNanos);
                }
                long start = System.nanoTime();
                record.clear();
                c.write(record);
                c.force(false);
                ns[i] = System.nanoTime() - start;
            }
        } finally {
            Files.deleteIfExists(file);
        }
        Arrays.sort(ns);
        return ns;
    }
}
