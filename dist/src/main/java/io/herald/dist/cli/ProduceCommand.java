package io.herald.dist.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code herald produce TOPIC}: one record per line of standard input, sent with kafka-clients' producer until the
 * input ends; then waits until every record is acknowledged. The first failed record stops the command (exit 1).
 *
 * <p>Thread-safety: as every {@link CliCommand}, an instance runs once on the calling thread.
 */
@Command(
        name = "produce",
        description = "Sends the lines of standard input to a topic, one record a line.",
        mixinStandardHelpOptions = true)
final class ProduceCommand extends CliCommand {

    /** kafka-clients' names of the codecs. */
    enum Codec {
        none,
        gzip,
        snappy,
        lz4,
        zstd
    }

    @Parameters(index = "0", paramLabel = "TOPIC", description = "The topic to send to.")
    String topic;

    @Option(
            names = {"-k", "--key-separator"},
            paramLabel = "SEP",
            description = "Split each line at the first SEP into key and value (\\t for a tab); without it records "
                    + "have no key.")
    String keySeparator;

    @Option(
            names = {"-H", "--header"},
            paramLabel = "KEY=VALUE",
            description = "A header for every record (repeatable; KEY alone: a header without value).")
    List<String> headers = new ArrayList<>();

    @Option(
            names = "--acks",
            paramLabel = "all|1|0",
            converter = AcksConverter.class,
            description = "Acknowledgements to wait for: all in-sync replicas (default), the leader, or none.")
    String acks;

    @Option(names = "--compression", paramLabel = "CODEC", description = "none (default), gzip, snappy, lz4 or zstd.")
    Codec compression;

    @Option(
            names = {"-p", "--partition"},
            paramLabel = "N",
            description = "Send every record to this partition (default: by key, or spread).")
    Integer partition;

    @Option(
            names = {"-P", "--property"},
            paramLabel = "KEY=VALUE",
            description = "A producer setting, e.g. linger.ms=10 (repeatable).")
    Map<String, String> properties = new LinkedHashMap<>();

    @Override
    int run() throws Exception {
        List<Header> recordHeaders = parseHeaders(headers);
        String separator = keySeparator == null ? null : Escapes.unescape(keySeparator);
        if (separator != null && separator.isEmpty()) {
            throw usage("--key-separator must not be empty");
        }
        Map<String, String> settings = producerSettings(properties, acks, compression);

        AtomicReference<Exception> failure = new AtomicReference<>();
        long lineNumber = 0;
        try (KafkaProducer<byte[], byte[]> producer = clients().producer(settings);
                Interrupts.Registration interrupt =
                        cli().terminal().interrupts().onInterrupt(() -> producer.close(Duration.ofSeconds(10)))) {
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(cli().terminal().in(), StandardCharsets.UTF_8));
            String line;
            while (failure.get() == null && (line = in.readLine()) != null) {
                lineNumber++;
                byte[] key = null;
                String value = line;
                if (separator != null) {
                    int at = line.indexOf(separator);
                    if (at < 0) {
                        producer.flush();
                        throw new CliException("Line " + lineNumber + " has no key separator '" + keySeparator + "': "
                                + abbreviate(line));
                    }
                    key = line.substring(0, at).getBytes(StandardCharsets.UTF_8);
                    value = line.substring(at + separator.length());
                }
                long number = lineNumber;
                producer.send(
                        new ProducerRecord<>(
                                topic, partition, key, value.getBytes(StandardCharsets.UTF_8), recordHeaders),
                        (metadata, e) -> {
                            if (e != null && failure.compareAndSet(null, e)) {
                                err().println("Record of line " + number + " failed: "
                                        + Errors.describe(e, clients().bootstrapForMessages()));
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new CliException(
                    "Producing to " + topic + " failed: "
                            + Errors.describe(failure.get(), clients().bootstrapForMessages()),
                    failure.get());
        }
        return HeraldCli.EXIT_OK;
    }

    static Map<String, String> producerSettings(Map<String, String> properties, String acks, Codec compression) {
        Map<String, String> settings = new LinkedHashMap<>(properties);
        if (acks != null) {
            settings.put(ProducerConfig.ACKS_CONFIG, acks);
        }
        if (compression != null) {
            settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression.name());
        }
        return settings;
    }

    /** Accepts Kafka's values of {@code acks}. */
    static final class AcksConverter implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!List.of("all", "-1", "0", "1").contains(value)) {
                throw new CommandLine.TypeConversionException("expected all, -1, 1 or 0");
            }
            return value;
        }
    }

    /** {@code KEY=VALUE} headers in the order given; {@code KEY} alone is a header with a null value. */
    static List<Header> parseHeaders(List<String> specs) {
        List<Header> result = new ArrayList<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            String key = eq < 0 ? spec : spec.substring(0, eq);
            if (key.isEmpty()) {
                throw new CliException("A header needs a key: --header " + spec);
            }
            byte[] value = eq < 0 ? null : spec.substring(eq + 1).getBytes(StandardCharsets.UTF_8);
            result.add(new RecordHeader(key, value));
        }
        return result;
    }

    private static String abbreviate(String line) {
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }
}
