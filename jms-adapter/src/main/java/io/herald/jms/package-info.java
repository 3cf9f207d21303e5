/**
 * Herald's Jakarta Messaging 3.1 provider. Applications use {@link io.herald.jms.HeraldConnectionFactory} (or JNDI
 * through {@link io.herald.jms.HeraldInitialContextFactory}) and the {@code jakarta.jms} interfaces; everything else
 * here is the implementation.
 *
 * <p>A JMS queue or topic is a Herald topic of the same name. Queues are consumed through KIP-932 share groups (the
 * broker tracks each message's acquisition, acknowledgement and delivery count, and dead-letters), with kafka-clients'
 * {@code KafkaShareConsumer} as the protocol client; durable subscriptions are share groups too. Messages map onto
 * Kafka records as {@link io.herald.jms.RecordMapping} documents (and docs/jms-mapping.md).
 */
package io.herald.jms;
