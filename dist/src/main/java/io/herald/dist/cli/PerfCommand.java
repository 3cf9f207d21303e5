package io.herald.dist.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code herald perf produce|consume}: throughput and latency, measured the way Kafka's {@code
 * kafka-producer-perf-test.sh} and {@code kafka-consumer-perf-test.sh} measure them, so that their figures compare.
 *
 * <p>Thread-safety: as every {@link CliCommand}, an instance runs once on the calling thread.
 */
@Command(
        name = "perf",
        description = "Measures produce and consume throughput and latency.",
        mixinStandardHelpOptions = true,
        subcommands = {PerfCommand.Produce.class, PerfCommand.Consume.class})
final class PerfCommand extends CliCommand.Group {

    private static final double MB = 1024.0 * 1024.0;
    private static final int MAX_SAMPLES = 500_000;

    static String throughput(long records, long bytes, long nanos) {
        double seconds = Math.max(nanos, 1) / 1e9;
        return String.format(Locale.ROOT, "%.1f records/sec (%.2f MB/sec)", records / seconds, bytes / MB / seconds);
    }

    /**
     * Sends {@code --num-records} records of {@code --record-size} random letters as fast as possible or at {@code
     * --throughput}; latency is the time from {@code send} to the acknowledgement. Prints a line every {@code
     * --report-interval} and a summary with percentiles at the end.
     */
    @Command(
            name = "produce",
            description = "Produces records and reports throughput and latency (send to acknowledgement).",
            mixinStandardHelpOptions = true)
    static final class Produce extends CliCommand {

        @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic to produce to.")
        String topic;

        @Option(names = "--num-records", required = true, paramLabel = "N", description = "Records to send.")
        long numRecords;

        @Option(names = "--record-size", required = true, paramLabel = "BYTES", description = "Size of each value.")
        int recordSize;

        @Option(
                names = "--throughput",
                paramLabel = "RECORDS_PER_SEC",
                description = "Upper bound of the send rate; -1 (default): unbounded.")
        long throughput = -1;

        @Option(
                names = "--acks",
                paramLabel = "all|1|0",
                converter = ProduceCommand.AcksConverter.class,
                description = "Acknowledgements to wait for (default: the producer's, all).")
        String acks;

        @Option(names = "--compression", paramLabel = "CODEC", description = "none, gzip, snappy, lz4 or zstd.")
        ProduceCommand.Codec compression;

        @Option(
                names = "--report-interval",
                paramLabel = "MS",
                description = "Time between two progress lines (default: 5000).")
        long reportIntervalMs = 5000;

        @Option(
                names = {"-P", "--property"},
                paramLabel = "KEY=VALUE",
                description = "A producer setting, e.g. batch.size=65536 (repeatable).")
        Map<String, String> properties = new LinkedHashMap<>();

        @Override
        int run() throws Exception {
            if (numRecords <= 0 || recordSize < 0) {
                throw usage("--num-records must be positive and --record-size not negative");
            }
            byte[] payload = payload(recordSize);
            Stats stats = new Stats(numRecords, reportIntervalMs, out());
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch done = new CountDownLatch(1);
            try (Interrupts.Registration interrupt = cli().terminal()
                    .interrupts()
                    .onInterrupt(() -> {
                        stop.set(true);
                        awaitQuietly(done);
                    })) {
                long start;
                try (KafkaProducer<byte[], byte[]> producer =
                        clients().producer(ProduceCommand.producerSettings(properties, acks, compression))) {
                    start = System.nanoTime();
                    stats.start(start);
                    for (long i = 0; i < numRecords && !stop.get() && !stats.failed(); i++) {
                        long sendStart = System.nanoTime();
                        producer.send(
                                new ProducerRecord<>(topic, payload),
                                (metadata, e) -> stats.completed(sendStart, payload.length, e));
                        throttle(i + 1, start);
                    }
                    producer.flush();
                    stats.printTotal(System.nanoTime());
                } finally {
                    done.countDown();
                }
            }
            if (stats.failed()) {
                throw new CliException(
                        "Producing failed: " + stats.firstError(clients().bootstrapForMessages()));
            }
            return HeraldCli.EXIT_OK;
        }

        /** Waits until sending {@code sent} records since {@code start} keeps within {@code --throughput}. */
        private void throttle(long sent, long start) {
            if (throughput <= 0) {
                return;
            }
            long due = start + sent * 1_000_000_000L / throughput;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
        }

        private static byte[] payload(int size) {
            Random random = new Random(42);
            byte[] payload = new byte[size];
            for (int i = 0; i < size; i++) {
                payload[i] = (byte) ('A' + random.nextInt(26));
            }
            return payload;
        }
    }

    /**
     * The producer side's counters with Kafka's progress lines. Thread-safety: the producer's I/O thread records
     * (synchronized methods), the sending thread reads {@link #failed} (volatile) and prints the total at the end.
     */
    static final class Stats {

        private final LatencyRecorder all;
        private final long reportIntervalNanos;
        private final PrintWriter out;
        private long start;
        private long bytes;
        private long windowStart;
        private long windowCount;
        private long windowBytes;
        private long windowSumMicros;
        private long windowMaxMicros;
        private long errors;
        private Exception firstError;
        private volatile boolean failed;

        Stats(long expected, long reportIntervalMs, PrintWriter out) {
            this.all = new LatencyRecorder(expected, MAX_SAMPLES);
            this.reportIntervalNanos = TimeUnit.MILLISECONDS.toNanos(reportIntervalMs);
            this.out = out;
        }

        synchronized void start(long now) {
            start = now;
            windowStart = now;
        }

        synchronized void completed(long sendStart, int size, Exception e) {
            long now = System.nanoTime();
            if (e != null) {
                if (errors++ == 0) {
                    firstError = e;
                    failed = true;
                }
                return;
            }
            long micros = (now - sendStart) / 1000;
            all.record(micros);
            bytes += size;
            windowCount++;
            windowBytes += size;
            windowSumMicros += micros;
            windowMaxMicros = Math.max(windowMaxMicros, micros);
            if (now - windowStart >= reportIntervalNanos) {
                out.println(String.format(
                        Locale.ROOT,
                        "%d records sent, %s, %.2f ms avg latency, %.2f ms max latency.",
                        windowCount,
                        throughput(windowCount, windowBytes, now - windowStart),
                        windowSumMicros / 1000.0 / windowCount,
                        windowMaxMicros / 1000.0));
                out.flush();
                windowStart = now;
                windowCount = 0;
                windowBytes = 0;
                windowSumMicros = 0;
                windowMaxMicros = 0;
            }
        }

        boolean failed() {
            return failed;
        }

        synchronized String firstError(String bootstrap) {
            return errors + " record" + (errors == 1 ? "" : "s") + " failed, the first with: "
                    + Errors.describe(firstError, bootstrap);
        }

        synchronized void printTotal(long end) {
            out.println(String.format(
                    Locale.ROOT,
                    "%d records sent, %s, %.2f ms avg latency, %.2f ms max latency, %s.",
                    all.count(),
                    throughput(all.count(), bytes, end - start),
                    all.averageMillis(),
                    all.maxMillis(),
                    all.percentiles()));
            out.flush();
        }
    }

    /**
     * Reads {@code --messages} records from the beginning of the topic (without a group, or as a new member of {@code
     * --group}) and reports the throughput and the records' age when received: the end-to-end latency when a producer
     * runs at the same time, the backlog's age otherwise.
     */
    @Command(
            name = "consume",
            description = "Consumes records from the beginning and reports throughput and end-to-end latency.",
            mixinStandardHelpOptions = true)
    static final class Consume extends CliCommand {

        @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic to consume.")
        String topic;

        @Option(names = "--messages", required = true, paramLabel = "N", description = "Records to consume.")
        long messages;

        @Option(
                names = "--timeout",
                paramLabel = "MS",
                description = "Give up when no record arrived for MS milliseconds (default: 10000).")
        long timeoutMs = 10_000;

        @Option(
                names = {"-g", "--group"},
                paramLabel = "GROUP",
                description = "Consume as a member of this group (default: read the partitions without a group).")
        String group;

        @Option(
                names = {"-P", "--property"},
                paramLabel = "KEY=VALUE",
                description = "A consumer setting, e.g. fetch.min.bytes=1 (repeatable).")
        Map<String, String> properties = new LinkedHashMap<>();

        @Override
        int run() throws Exception {
            if (messages <= 0) {
                throw usage("--messages must be positive");
            }
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            if (group != null) {
                settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            } else {
                settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
            }
            settings.putAll(properties);

            LatencyRecorder latency = new LatencyRecorder(messages, MAX_SAMPLES);
            CountDownLatch done = new CountDownLatch(1);
            try (KafkaConsumer<byte[], byte[]> consumer = clients().consumer(settings);
                    Interrupts.Registration interrupt = cli().terminal()
                            .interrupts()
                            .onInterrupt(() -> {
                                consumer.wakeup();
                                awaitQuietly(done);
                            })) {
                try {
                    subscribe(consumer);
                    long count = 0;
                    long bytes = 0;
                    long start = System.nanoTime();
                    long lastRecordAt = start;
                    boolean interrupted = false;
                    try {
                        while (count < messages
                                && System.nanoTime() - lastRecordAt < TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
                            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                            long nowMs = System.currentTimeMillis();
                            for (ConsumerRecord<byte[], byte[]> r : records) {
                                count++;
                                bytes += Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
                                latency.record(Math.max(0, nowMs - r.timestamp()) * 1000);
                            }
                            if (!records.isEmpty()) {
                                lastRecordAt = System.nanoTime();
                            }
                        }
                    } catch (WakeupException e) {
                        interrupted = true; // Ctrl-C: report what was consumed
                    }
                    long end = count == 0 ? System.nanoTime() : lastRecordAt;
                    report(count, bytes, end - start, latency);
                    if (count < messages && !interrupted) {
                        throw new CliException("Only " + count + " of " + messages + " records arrived: none for "
                                + timeoutMs + " ms (--timeout).");
                    }
                } finally {
                    done.countDown();
                }
            }
            return HeraldCli.EXIT_OK;
        }

        private void report(long count, long bytes, long nanos, LatencyRecorder latency) {
            out().println(String.format(
                    Locale.ROOT,
                    "%d records consumed in %.2f s, %s.",
                    count,
                    nanos / 1e9,
                    throughput(count, bytes, nanos)));
            out().println(String.format(
                    Locale.ROOT,
                    "End-to-end latency (receive time - record timestamp): %.2f ms avg, %.2f ms max, %s.",
                    latency.averageMillis(),
                    latency.maxMillis(),
                    latency.percentiles()));
            out().flush();
        }

        private void subscribe(KafkaConsumer<byte[], byte[]> consumer) {
            if (group != null) {
                consumer.subscribe(List.of(topic));
                return;
            }
            List<PartitionInfo> infos = consumer.partitionsFor(topic);
            if (infos == null || infos.isEmpty()) {
                throw new CliException("Topic " + topic + " does not exist.");
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
    }

    private static void awaitQuietly(CountDownLatch done) {
        try {
            done.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
