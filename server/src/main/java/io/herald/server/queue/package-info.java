/**
 * JMS semantics the broker serves for the JMS provider: message selectors ({@link
 * io.herald.server.queue.MessageSelector}), evaluated against the JMS view of a record ({@link
 * io.herald.server.queue.MessageView}) when a share group member acquires records, so that a queue message one
 * consumer's selector rejects stays available to the others; and the deletion of temporary destinations whose
 * connection died ({@link io.herald.server.queue.TemporaryDestinationReaper}).
 */
package io.herald.server.queue;
