package io.herald.server.admin;

import io.herald.server.EmbeddedHerald;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Real kafka-clients producers, consumers and admin calls against an {@link EmbeddedHerald}, for the admin tests. */
final class Clients {

    static final long TIMEOUT_S = 30;

    private Clients() {}

    static KafkaProducer<String, String> producer(EmbeddedHerald broker, Map<String, Object> extra) {
        Properties p = broker.clientProperties();
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.putAll(extra);
        return new KafkaProducer<>(p);
    }

    static KafkaConsumer<String, String> consumer(EmbeddedHerald broker, Map<String, Object> extra) {
        Properties p = broker.clientProperties();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        p.putAll(extra);
        return new KafkaConsumer<>(p);
    }

    /** Creates {@code name} and returns its topic id. */
    static Uuid createTopic(Admin admin, String name, int partitions, Map<String, String> configs) throws Exception {
        return admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                .topicId(name)
                .get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    /** Sends {@code values} to one partition and waits until all are acknowledged. */
    static void produce(EmbeddedHerald broker, String topic, int partition, List<String> values) throws Exception {
        try (KafkaProducer<String, String> producer = producer(broker, Map.of("linger.ms", 5))) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (String v : values) {
                acks.add(producer.send(new ProducerRecord<>(topic, partition, null, v)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(TIMEOUT_S, TimeUnit.SECONDS);
            }
        }
    }

    static List<String> values(String prefix, int count) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(prefix + i);
        }
        return list;
    }

    /** Polls until {@code count} records arrived (or the deadline passed) and returns their values. */
    static List<String> poll(KafkaConsumer<String, String> consumer, int count) {
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
        while (got.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                got.add(r.value());
            }
        }
        return got;
    }
}
