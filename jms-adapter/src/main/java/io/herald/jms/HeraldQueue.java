package io.herald.jms;

import jakarta.jms.Queue;

/**
 * A JMS queue: the Herald topic of the same name, consumed through the share group {@code jms.queue.<name>}.
 *
 * <p>Thread-safety: immutable.
 */
public class HeraldQueue extends HeraldDestination implements Queue {

    private static final long serialVersionUID = 1L;

    public HeraldQueue(String name) {
        super(name);
    }

    @Override
    public String getQueueName() {
        return name();
    }

    @Override
    String uri() {
        return "queue://" + name();
    }
}
