package io.herald.server.share;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The partitions of {@code __share_group_state} that another broker leads, reached with kafka-clients over the
 * inter-broker listener: writes are Produce requests with {@code acks=all} (the leader answers once the in-sync
 * replicas have them), reads fetch from the leader up to its high watermark.
 *
 * <p>Design note: Kafka brokers call WriteShareGroupState on the share coordinator; Herald keeps one write path, the
 * leader's replicated append, and reaches a remote leader with a plain Produce under the reserved client id {@link
 * ShareStateCluster#WRITER_CLIENT_ID} (Produce refuses internal topics to anyone else, as Kafka refuses them to all
 * but its admin client id). The producer is idempotent, so a retried write is not appended twice, and it finds the
 * current leader of each partition from metadata, so a write survives a leader change of the state topic.
 *
 * <p>Thread-safety: thread-safe; the producer is created on first use and shared.
 */
final class RemoteStateTopic implements AutoCloseable {

    /** The longest a write waits on the calling thread for the state topic's metadata. */
    private static final long METADATA_WAIT_MS = 5000;

    private final ShareStateCluster cluster;
    private KafkaProducer<byte[], byte[]> producer;
    private boolean closed;

    RemoteStateTopic(ShareStateCluster cluster) {
        this.cluster = cluster;
    }

    /** One record to write: a key and its newest value ({@code null} deletes it). */
    record Entry(byte[] key, byte[] value) {}

    /**
     * Sends {@code entries} to the leaders of their partitions of the state topic; the future completes once every one
     * is replicated, or fails with {@link CoordinatorNotAvailableException}. Only a metadata look-up may block the
     * caller, at most {@code max.block.ms}.
     */
    CompletableFuture<Void> write(Map<Integer, List<Entry>> entries, long timestampMs) {
        KafkaProducer<byte[], byte[]> p = producer();
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        try {
            entries.forEach((partition, list) -> list.forEach(e -> {
                CompletableFuture<Void> f = new CompletableFuture<>();
                p.send(
                        new ProducerRecord<>(ShareGroupConfig.STATE_TOPIC, partition, timestampMs, e.key(), e.value()),
                        (md, error) -> {
                            if (error == null) {
                                f.complete(null);
                            } else {
                                f.completeExceptionally(new CoordinatorNotAvailableException(
                                        "Could not write " + ShareGroupConfig.STATE_TOPIC + "-" + partition
                                                + " on its leader: " + error.getMessage(),
                                        error));
                            }
                        });
                sent.add(f);
            }));
        } catch (KafkaException e) {
            throw new CoordinatorNotAvailableException(
                    "Could not send to " + ShareGroupConfig.STATE_TOPIC + ": " + e.getMessage(), e);
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    /**
     * Sends {@code record} to the leader of its partition, whatever its topic (a dead-letter topic), with the same
     * acks=all idempotent producer; the future completes once the in-sync replicas have it.
     */
    CompletableFuture<Void> send(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        try {
            producer().send(record, (md, error) -> {
                if (error == null) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(error);
                }
            });
        } catch (KafkaException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    /**
     * Reads {@code partitions} of the state topic from their leaders, each from its start to its high watermark, with
     * one consumer; {@code sink} gets each partition's records in offset order.
     *
     * @throws CoordinatorNotAvailableException if they cannot be read within the timeout
     */
    void read(List<Integer> partitions, RecordSink sink) {
        Map<String, Object> props = settings();
        props.put("client.id", ShareStateCluster.WRITER_CLIENT_ID + "-reader");
        props.put("enable.auto.commit", "false");
        props.put("key.deserializer", ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        List<TopicPartition> tps = partitions.stream()
                .map(p -> new TopicPartition(ShareGroupConfig.STATE_TOPIC, p))
                .toList();
        Duration timeout = Duration.ofMillis(cluster.timeoutMs());
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = c.endOffsets(tps, timeout);
            while (tps.stream().anyMatch(tp -> c.position(tp, timeout) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new CoordinatorNotAvailableException(
                            "Reading " + ShareGroupConfig.STATE_TOPIC + " up to " + ends + " timed out");
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    sink.accept(r.partition(), r.offset(), r.key(), r.value());
                }
            }
        } catch (KafkaException e) {
            throw new CoordinatorNotAvailableException(
                    "Could not read " + ShareGroupConfig.STATE_TOPIC + " " + partitions + ": " + e.getMessage(), e);
        }
    }

    /** Receives the records {@link #read} finds. */
    @FunctionalInterface
    interface RecordSink {
        void accept(int partition, long offset, byte[] key, byte[] value);
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (closed) {
            throw new CoordinatorNotAvailableException("The broker is shutting down");
        }
        if (producer == null) {
            Map<String, Object> props = settings();
            props.put("client.id", ShareStateCluster.WRITER_CLIENT_ID);
            props.put("acks", "all");
            props.put("enable.idempotence", "true");
            props.put("linger.ms", "0");
            props.put("max.block.ms", String.valueOf(METADATA_WAIT_MS));
            props.put("delivery.timeout.ms", String.valueOf(Math.max(cluster.timeoutMs(), 1000)));
            props.put("request.timeout.ms", String.valueOf(Math.max(cluster.timeoutMs() - 1, 999)));
            props.put("key.serializer", ByteArraySerializer.class.getName());
            props.put("value.serializer", ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(props);
        }
        return producer;
    }

    private Map<String, Object> settings() {
        Map<String, Object> props = new HashMap<>(cluster.clientSettings());
        props.put("bootstrap.servers", cluster.bootstrap().get());
        props.put("retry.backoff.ms", "100");
        props.put("metadata.max.age.ms", "5000");
        return props;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
