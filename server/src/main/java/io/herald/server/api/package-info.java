/**
 * The broker's public administration API for code running inside the broker process: what the admin console (module
 * {@code admin-console}) reads and changes, in plain Java values rather than Kafka wire messages.
 *
 * <p>{@link io.herald.server.api.BrokerAdmin} is the entry point: the cluster's state and log directories, and the
 * three areas {@link io.herald.server.api.TopicAdmin} (topics, partitions, configs), {@link
 * io.herald.server.api.RecordAccess} (reading and producing records) and {@link io.herald.server.api.GroupAdmin}
 * (consumer groups, lag, offset resets) and {@link io.herald.server.api.SecurityAdmin} (SCRAM users,
 * ACLs). Every change goes through the same components as the Kafka API (topic
 * manager, config updater, group coordinator), so it is validated the same way and is applied whole or not at all;
 * failures are Kafka's {@code ApiException}s with a message meant for people, or {@code IOException}s.
 *
 * <p>{@link io.herald.server.api.BrokerExtension} is the SPI through which the broker starts such code: modules that
 * depend on {@code server} register an implementation with {@link java.util.ServiceLoader}, so that {@code server}
 * never depends on them.
 */
package io.herald.server.api;
