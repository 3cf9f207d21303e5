import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * What one durable 1 KiB append costs on this disk with nothing else in the way: append to a growing file and
 * fdatasync ({@code FileChannel.force(false)}), as a broker's log does, -Dn times (2000). A blocking persistent send
 * costs at least this on any broker that promises the message is on disk when the send returns, so the broker's own
 * share of a send is its latency minus this. One "RESULT" line, like the other benchmark programs.
 *
 * <p>Usage: {@code java dist/bench/FsyncProbe.java <directory on the disk under test>}. Thread-safety: a program.
 */
public final class FsyncProbe {
    public static void main(String[] args) throws IOException {
        int n = Integer.getInteger("n", 2000);
        Path file = Files.createTempFile(Path.of(args[0]), "fsync-probe", ".log");
        long[] ns = new long[n];
        ByteBuffer record = ByteBuffer.allocateDirect(1024 + 70); // a 1 KiB record in its batch
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (int i = 0; i < n; i++) {
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
        System.out.printf(
                Locale.ROOT,
                "RESULT mode=fsync n=%d append_fdatasync_p50_us=%.0f p90_us=%.0f p99_us=%.0f mean_us=%.0f%n",
                n,
                ns[n / 2] / 1e3,
                ns[n * 9 / 10] / 1e3,
                ns[n * 99 / 100] / 1e3,
                Arrays.stream(ns).average().orElse(0) / 1e3);
    }
}
