package io.herald.dist.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code herald consume TOPIC}: prints records as they arrive. Without {@code --group} it reads the topic's partitions
 * directly (no group, nothing committed) from the end, the beginning or an offset; with {@code --group} it joins the
 * consumer group, starts from the group's committed offsets and commits exactly the records it printed. It stops after
 * {@code --max-messages}, after {@code --timeout} without a record, or on Ctrl-C, and then reports the count on
 * standard error.
 *
 * <p>Thread-safety: as every {@link CliCommand}, an instance runs once on the calling thread.
 */
@Command(
        name = "consume",
        description = "Prints the records of a topic, from the end (default), the beginning, an offset, or a group's "
                + "committed offsets.",
        mixinStandardHelpOptions = true)
final class ConsumeCommand extends CliCommand {

    private static final Duration MAX_POLL = Duration.ofMillis(500);

    @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic to read.")
    String topic;

    @Option(
            names = "--from-beginning",
            description = "Start at the oldest record (with --group: if the group has no " + "committed offset).")
    boolean fromBeginning;

    @Option(
            names = "--offset",
            paramLabel = "N|earliest|latest",
            description = "Start at this offset (N needs --partition).")
    String offset;

    @Option(
            names = {"-p", "--partition"},
            paramLabel = "N",
            description = "Read only this partition.")
    Integer partition;

    @Option(
            names = {"-g", "--group"},
            paramLabel = "GROUP",
            description = "Consume as a member of this consumer group and commit the offsets of printed records.")
    String group;

    @Option(
            names = {"-n", "--max-messages"},
            paramLabel = "N",
            description = "Stop after N records.")
    Long maxMessages;

    @Option(names = "--timeout", paramLabel = "MS", description = "Stop when no record arrived for MS milliseconds.")
    Long timeoutMs;

    @Option(names = "--print-key", description = "Print the key before the value.")
    boolean printKey;

    @Option(names = "--print-headers", description = "Print the headers (k1:v1,k2:v2).")
    boolean printHeaders;

    @Option(names = "--print-partition", description = "Print the partition.")
    boolean printPartition;

    @Option(names = "--print-offset", description = "Print the offset.")
    boolean printOffset;

    @Option(names = "--print-timestamp", description = "Print the timestamp and its type.")
    boolean printTimestamp;

    @Option(names = "--separator", paramLabel = "SEP", description = "Between the printed fields (default: \\t).")
    String separator = "\\t";

    @Option(
            names = {"-f", "--format"},
            paramLabel = "TEMPLATE",
            description = "Print each record with this template instead, e.g. '{partition}:{offset} {key}={value}'. "
                    + "Fields: " + RecordFormat.FIELD_NAMES + ".")
    String format;

    @Option(
            names = {"-P", "--property"},
            paramLabel = "KEY=VALUE",
            description = "A consumer setting, e.g. isolation.level=read_committed (repeatable).")
    Map<String, String> properties = new LinkedHashMap<>();

    @Override
    int run() throws Exception {
        RecordFormat recordFormat = recordFormat();
        StartPosition start = startPosition();
        Map<String, String> settings = new LinkedHashMap<>();
        if (group != null) {
            settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        } else {
            settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        }
        settings.putAll(properties);
        // The offsets of printed records are committed below; automatic commits would also commit skipped ones.
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");

        PrintWriter out = out();
        CountDownLatch done = new CountDownLatch(1);
        try (KafkaConsumer<byte[], byte[]> consumer = clients().consumer(settings)) {
            try (Interrupts.Registration interrupt = cli().terminal()
                    .interrupts()
                    .onInterrupt(() -> {
                        consumer.wakeup();
                        awaitQuietly(done);
                    })) {
                if (group != null) {
                    consumer.subscribe(List.of(topic));
                } else {
                    assign(consumer, start);
                }
                long count = consume(consumer, recordFormat, out);
                err().println("Processed a total of " + count + " messages");
                err().flush();
            }
        } finally {
            done.countDown();
        }
        return HeraldCli.EXIT_OK;
    }

    private long consume(KafkaConsumer<byte[], byte[]> consumer, RecordFormat recordFormat, PrintWriter out) {
        long count = 0;
        long max = maxMessages == null ? Long.MAX_VALUE : maxMessages;
        long lastRecordAt = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> printed = new HashMap<>();
        try {
            while (count < max) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTime(lastRecordAt));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    out.println(recordFormat.format(r));
                    printed.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    if (++count == max) {
                        break;
                    }
                }
                out.flush();
                if (!records.isEmpty()) {
                    lastRecordAt = System.nanoTime();
                    commit(consumer, printed, false);
                } else if (timeoutMs != null
                        && System.nanoTime() - lastRecordAt >= TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
                    break;
                }
            }
        } catch (WakeupException interrupted) {
            // Ctrl-C: commit what was printed and report.
        }
        commit(consumer, printed, true);
        return count;
    }

    private Duration pollTime(long lastRecordAt) {
        if (timeoutMs == null) {
            return MAX_POLL;
        }
        long left = TimeUnit.MILLISECONDS.toNanos(timeoutMs) - (System.nanoTime() - lastRecordAt);
        return Duration.ofNanos(Math.max(0, Math.min(left, MAX_POLL.toNanos())));
    }

    private void commit(
            KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> printed, boolean sync) {
        if (group == null || printed.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(printed);
        printed.clear();
        if (sync) {
            consumer.commitSync(offsets);
        } else {
            consumer.commitAsync(offsets, (committed, e) -> {
                if (e != null) {
                    err().println("Committing offsets failed (retried at the end): " + e.getMessage());
                }
            });
        }
    }

    private void assign(KafkaConsumer<byte[], byte[]> consumer, StartPosition start) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new CliException("Topic " + topic + " does not exist.");
        }
        List<TopicPartition> partitions = infos.stream()
                .map(i -> new TopicPartition(topic, i.partition()))
                .filter(tp -> partition == null || tp.partition() == partition)
                .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                .toList();
        if (partitions.isEmpty()) {
            throw new CliException(
                    "Topic " + topic + " has no partition " + partition + " (it has " + infos.size() + ").");
        }
        consumer.assign(partitions);
        switch (start.kind()) {
            case EARLIEST -> consumer.seekToBeginning(partitions);
            case LATEST -> consumer.seekToEnd(partitions);
            case OFFSET -> consumer.seek(partitions.get(0), start.offset());
        }
    }

    private RecordFormat recordFormat() {
        boolean anyPrintFlag = printKey || printHeaders || printPartition || printOffset || printTimestamp;
        if (format != null) {
            if (anyPrintFlag) {
                throw usage("--format cannot be combined with --print-* options (put the fields in the template)");
            }
            try {
                return RecordFormat.parse(format);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        return RecordFormat.of(printTimestamp, printPartition, printOffset, printHeaders, printKey, separator);
    }

    /** Where to start without a group. */
    private record StartPosition(Kind kind, long offset) {
        enum Kind {
            EARLIEST,
            LATEST,
            OFFSET
        }
    }

    private StartPosition startPosition() {
        if (group != null && (partition != null || offset != null)) {
            throw usage("--group cannot be combined with --partition or --offset: the group's committed offsets decide "
                    + "where it starts (change them with 'herald groups reset-offsets')");
        }
        if (offset != null && fromBeginning) {
            throw usage("--offset and --from-beginning exclude each other");
        }
        if (offset == null) {
            return new StartPosition(fromBeginning ? StartPosition.Kind.EARLIEST : StartPosition.Kind.LATEST, -1);
        }
        switch (offset) {
            case "earliest" -> {
                return new StartPosition(StartPosition.Kind.EARLIEST, -1);
            }
            case "latest" -> {
                return new StartPosition(StartPosition.Kind.LATEST, -1);
            }
            default -> {
                long n;
                try {
                    n = Long.parseLong(offset);
                } catch (NumberFormatException e) {
                    throw usage("--offset must be a number, earliest or latest, not " + offset);
                }
                if (n < 0) {
                    throw usage("--offset must not be negative");
                }
                if (partition == null) {
                    throw usage("--offset " + offset + " needs --partition");
                }
                return new StartPosition(StartPosition.Kind.OFFSET, n);
            }
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
