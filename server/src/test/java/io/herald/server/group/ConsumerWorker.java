package io.herald.server.group;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A real KafkaConsumer in a group, polling on its own thread (the consumer is single-threaded): every record it gets
 * goes to a shared sink, its offsets are committed synchronously after each non-empty poll, and its current assignment
 * is published after every poll; a rebalance listener counts the assignments it receives. {@link #close} stops it
 * and closes the consumer (which leaves the group, unless it is a static member).
 */
final class ConsumerWorker implements AutoCloseable {

    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile Set<TopicPartition> assignment = Set.of();
    private final AtomicInteger assignedCallbacks = new AtomicInteger();
    private volatile boolean stop;

    ConsumerWorker(String name, Properties props, String topic, Queue<ConsumerRecord<String, String>> sink) {
        thread = new Thread(
                () -> {
                    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
                        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                            @Override
                            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

                            @Override
                            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                                if (!partitions.isEmpty()) {
                                    assignedCallbacks.incrementAndGet();
                                }
                            }
                        });
                        while (!stop) {
                            ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                            records.forEach(sink::add);
                            if (!records.isEmpty()) {
                                consumer.commitSync();
                            }
                            assignment = Set.copyOf(consumer.assignment());
                        }
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
    }

    Set<TopicPartition> assignment() {
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError(thread.getName() + " failed", t);
        }
        return assignment;
    }

    /** How often the consumer was given new partitions (a rebalance that moved something to it). */
    int assignedCallbacks() {
        return assignedCallbacks.get();
    }

    /** What ended the polling loop with an error, if anything did. */
    Throwable failure() {
        return failure.get();
    }

    /** Stops polling and closes the consumer; returns the failure that ended it early, if any. */
    Throwable stop() throws InterruptedException {
        stop = true;
        thread.join(TimeUnit.SECONDS.toMillis(30));
        return failure.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(TimeUnit.SECONDS.toMillis(30));
        if (failure.get() != null) {
            throw new AssertionError(thread.getName() + " failed", failure.get());
        }
    }
}
