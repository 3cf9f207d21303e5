package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** JMS and kafka-clients on the same topics and queues, both ways, through the documented mapping. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaInteropTest {

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Properties kafka() {
        Properties p = new Properties();
        p.put("bootstrap.servers", herald.broker().bootstrap());
        return p;
    }

    @Test
    void aKafkaConsumerReadsAJmsTextMessageAsUtf8WithItsPropertiesAsHeaders() throws Exception {
        String topic = unique("jms-to-kafka");
        try (Connection c = herald.factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage m = s.createTextMessage("grüße");
            m.setStringProperty("region", "eu");
            m.setIntProperty("qty", 3);
            m.setJMSCorrelationID("c-9");
            s.createProducer(s.createQueue(topic)).send(m);
        }
        Properties p = kafka();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 20_000;
            while (got.isEmpty() && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
            ConsumerRecord<String, String> r = got.get(0);
            assertThat(r.value()).isEqualTo("grüße");
            Map<String, String> headers = new HashMap<>();
            for (Header h : r.headers()) {
                headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
            }
            assertThat(headers)
                    .containsEntry("region", "eu")
                    .containsEntry("qty", "3")
                    .containsEntry("jms.pt.qty", "int")
                    .containsEntry("jms.type", "text")
                    .containsEntry("jms.correlation.id", "c-9");
        }
    }

    @Test
    void aJmsConsumerReceivesRecordsOfKafkaProducersAsBytesOrTextMessages() throws Exception {
        String topic = unique("kafka-to-jms");
        Properties p = kafka();
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topic, new byte[] {1, 2, 3})).get();
            ProducerRecord<byte[], byte[]> text =
                    new ProducerRecord<>(topic, null, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
            text.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
            text.headers().add("source", "kafka".getBytes(StandardCharsets.UTF_8));
            producer.send(text).get();
        }
        try (Connection c = herald.factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(topic));
            BytesMessage bytes = (BytesMessage) consumer.receive(20_000);
            byte[] body = new byte[3];
            bytes.readBytes(body);
            assertThat(body).containsExactly(1, 2, 3);
            assertThat(bytes.getJMSMessageID()).isEqualTo("ID:" + topic + "-0-0");
            TextMessage json = (TextMessage) consumer.receive(20_000);
            assertThat(json.getText()).isEqualTo("{\"a\":1}");
            assertThat(json.getStringProperty("source")).isEqualTo("kafka");
        }
    }

    @Test
    void kafkasShareConsumerCompetesWithJmsConsumersOnTheSameQueue() throws Exception {
        String name = unique("shared-queue");
        Set<String> viaJms = new HashSet<>();
        Set<String> viaKafka = new HashSet<>();
        try (Connection c = herald.factory("prefetch=1").createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(name);
            MessageConsumer jms = s.createConsumer(q); // configures the queue's share group
            Properties p = kafka();
            p.put("group.id", "jms.queue." + name);
            p.put("max.poll.records", "1");
            p.put("key.deserializer", ByteArrayDeserializer.class.getName());
            p.put("value.deserializer", StringDeserializer.class.getName());
            try (KafkaShareConsumer<byte[], String> kafka = new KafkaShareConsumer<>(p)) {
                kafka.subscribe(List.of(name));
                MessageProducer producer = s.createProducer(q);
                for (int i = 0; i < 30; i++) {
                    producer.send(s.createTextMessage("q" + i));
                }
                long deadline = System.currentTimeMillis() + 60_000;
                while (viaJms.size() + viaKafka.size() < 30 && System.currentTimeMillis() < deadline) {
                    kafka.poll(Duration.ofMillis(100)).forEach(r -> viaKafka.add(r.value()));
                    Message m = jms.receive(100);
                    if (m != null) {
                        viaJms.add(((TextMessage) m).getText());
                    }
                }
                kafka.commitSync();
            }
        }
        Set<String> all = new HashSet<>(viaJms);
        all.addAll(viaKafka);
        assertThat(viaJms.size() + viaKafka.size()).as("each message once").isEqualTo(30);
        assertThat(all).hasSize(30);
        assertThat(viaKafka).isNotEmpty();
        assertThat(viaJms).isNotEmpty();
    }
}
