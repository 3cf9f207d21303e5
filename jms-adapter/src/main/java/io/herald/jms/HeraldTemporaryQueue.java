package io.herald.jms;

import jakarta.jms.JMSException;
import jakarta.jms.TemporaryQueue;

/**
 * A temporary queue: a topic {@code jms.temp.<connection id>.<uuid>} created by its connection and deleted when the connection closes
 * (or by {@link #delete()}). Received messages come back as plain destinations: only the owner can delete it.
 *
 * <p>Thread-safety: thread-safe.
 */
final class HeraldTemporaryQueue extends HeraldQueue implements TemporaryQueue {

    private static final long serialVersionUID = 1L;
    private final transient HeraldConnection owner;

    HeraldTemporaryQueue(String name, HeraldConnection owner) {
        super(name);
        this.owner = owner;
    }

    HeraldConnection owner() {
        return owner;
    }

    @Override
    String uri() {
        return "temp-queue://" + name();
    }

    @Override
    public void delete() throws JMSException {
        if (owner == null) {
            throw new jakarta.jms.IllegalStateException("Only the connection that created " + this + " can delete it");
        }
        owner.deleteTemporary(this);
    }
}
