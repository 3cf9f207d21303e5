package io.herald.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.log.record.Compression;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The engine demo that README.md's first command runs: what it prints, what it leaves on disk, what it leaves running. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineDemoTest {

    private static final int RECORDS_PER_RUN = Compression.values().length * EngineDemo.RECORDS_PER_BATCH;

    @TempDir
    Path tmp;

    @Test
    void mainAppendsReadsBackAndPrintsEveryRecordOfEveryCodec() throws IOException {
        Path dataDir = tmp.resolve("data");

        String output = runMain(dataDir.toString());

        for (int offset = 0; offset < RECORDS_PER_RUN; offset++) {
            assertThat(output).contains("  offset " + offset + " ");
        }
        assertThat(output).doesNotContain("  offset " + RECORDS_PER_RUN + " ");
        for (Compression c : Compression.values()) {
            String codec = c.name().toLowerCase(Locale.ROOT);
            assertThat(output)
                    .contains("Appended a " + c + " batch of 2 records")
                    .contains("key " + codec + "-0  value hello from a " + codec + " batch, record 0")
                    .contains("key " + codec + "-1  value hello from a " + codec + " batch, record 1");
        }
        assertThat(output).contains("Closed the log cleanly; log end offset " + RECORDS_PER_RUN);
    }

    @Test
    void mainLeavesAPartitionDirectoryAndACleanShutdownMarker() throws IOException {
        Path dataDir = tmp.resolve("data");

        runMain(dataDir.toString());

        Path partition = dataDir.resolve(EngineDemo.PARTITION.dirName());
        try (Stream<Path> files = Files.list(partition)) {
            Set<String> names = files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            assertThat(names).contains("00000000000000000000.log");
        }
        assertThat(Files.size(partition.resolve("00000000000000000000.log"))).isPositive();
        assertThat(dataDir.resolve(".herald-clean-shutdown")).exists();
    }

    @Test
    void aSecondRunReopensTheLogAndAppendsAfterTheFirst() throws IOException {
        Path dataDir = tmp.resolve("data");
        runMain(dataDir.toString());

        String second = runMain(dataDir.toString());

        assertThat(second)
                .contains("(log start offset 0, log end offset " + RECORDS_PER_RUN + ")")
                .contains("at offsets " + RECORDS_PER_RUN + ".." + (RECORDS_PER_RUN + 1))
                .contains("  offset 0 ")
                .contains("  offset " + (2 * RECORDS_PER_RUN - 1) + " ")
                .contains("Closed the log cleanly; log end offset " + 2 * RECORDS_PER_RUN);
    }

    @Test
    void theDemoStopsEveryThreadItStarted() throws IOException {
        runMain(tmp.resolve("data").toString());

        // LogManager.close stops its threads; a pool thread may need a moment after its pool terminated to exit.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> left = heraldThreads();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            left = heraldThreads();
        }
        assertThat(left).isEmpty();
    }

    private static List<String> heraldThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("herald-"))
                .toList();
    }

    /** Runs {@link EngineDemo#main} and returns what it printed to standard output. */
    private static String runMain(String... args) throws IOException {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            EngineDemo.main(args);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
