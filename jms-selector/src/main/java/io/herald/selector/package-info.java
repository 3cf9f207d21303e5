/**
 * The JMS message selector language (Jakarta Messaging 3.1 section 3.8.1), {@link
 * io.herald.selector.MessageSelector}, and the JMS view of a Kafka record's headers it evaluates, {@link
 * io.herald.selector.JmsRecordValues}: one implementation for the broker, which filters what share-group members
 * acquire, and the JMS provider, whose {@code QueueBrowser} filters without acquiring. Depends on nothing.
 */
package io.herald.selector;
