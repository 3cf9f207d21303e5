package io.herald.jms;

import jakarta.jms.JMSException;
import jakarta.jms.TemporaryTopic;

/**
 * A temporary topic: like {@link HeraldTemporaryQueue}, for publish/subscribe.
 *
 * <p>Thread-safety: thread-safe.
 */
final class HeraldTemporaryTopic extends HeraldTopic implements TemporaryTopic {

    private static final long serialVersionUID = 1L;
    private final transient HeraldConnection owner;

    HeraldTemporaryTopic(String name, HeraldConnection owner) {
        super(name);
        this.owner = owner;
    }

    HeraldConnection owner() {
        return owner;
    }

    @Override
    String uri() {
        return "temp-topic://" + name();
    }

    @Override
    public void delete() throws JMSException {
        if (owner == null) {
            throw new jakarta.jms.IllegalStateException("Only the connection that created " + this + " can delete it");
        }
        owner.deleteTemporary(this);
    }
}
