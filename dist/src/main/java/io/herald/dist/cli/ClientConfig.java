package io.herald.dist.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka client settings of one command: the tool's defaults, overlaid with the {@code --command-config} file,
 * then with the command's own settings; {@code --bootstrap-server} wins over the file's {@code bootstrap.servers}.
 *
 * <p>Thread-safety: immutable; the clients it creates are the caller's.
 */
final class ClientConfig {

    static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    /**
     * Admin calls of a command-line tool should fail within seconds when the broker is not there, not after the
     * clients' default minute; a --command-config file can set other values.
     */
    private static final Map<String, String> ADMIN_DEFAULTS = Map.of(
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000",
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");

    private static final Map<String, String> PRODUCER_DEFAULTS = Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");

    private final String bootstrapOption;
    private final Path commandConfig;

    ClientConfig(String bootstrapOption, Path commandConfig) {
        this.bootstrapOption = bootstrapOption;
        this.commandConfig = commandConfig;
    }

    /** The settings every client of the command gets: the file's, with the bootstrap servers resolved. */
    Properties base() {
        Properties p = new Properties();
        if (commandConfig != null) {
            try (Reader reader = Files.newBufferedReader(commandConfig, StandardCharsets.UTF_8)) {
                p.load(reader);
            } catch (NoSuchFileException e) {
                throw new CliException("--command-config file not found: " + commandConfig);
            } catch (IOException e) {
                throw new CliException("Cannot read --command-config file " + commandConfig + ": " + e.getMessage(), e);
            }
        }
        if (bootstrapOption != null) {
            p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapOption);
        } else {
            p.putIfAbsent(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, DEFAULT_BOOTSTRAP);
        }
        return p;
    }

    /** The bootstrap servers the clients use, for messages; never fails. */
    String bootstrapForMessages() {
        try {
            return base().getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        } catch (CliException e) {
            return bootstrapOption != null ? bootstrapOption : DEFAULT_BOOTSTRAP;
        }
    }

    Admin admin() {
        Properties p = base();
        ADMIN_DEFAULTS.forEach(p::putIfAbsent);
        // kafka-clients refuses a request timeout above the API timeout; a file may have lowered only the latter.
        try {
            long api = Long.parseLong(p.getProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG)
                    .trim());
            long request = Long.parseLong(
                    p.getProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG).trim());
            if (request > api) {
                p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(api));
            }
        } catch (NumberFormatException e) {
            // kafka-clients reports the invalid value by name
        }
        return Admin.create(p);
    }

    /** A producer of raw bytes with {@code settings} over the file's. */
    KafkaProducer<byte[], byte[]> producer(Map<String, String> settings) {
        Properties p = base();
        p.putAll(settings);
        PRODUCER_DEFAULTS.forEach(p::putIfAbsent);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /** A consumer of raw bytes with {@code settings} over the file's. */
    KafkaConsumer<byte[], byte[]> consumer(Map<String, String> settings) {
        Properties p = base();
        p.putAll(settings);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }
}
