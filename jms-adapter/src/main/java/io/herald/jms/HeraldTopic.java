package io.herald.jms;

import jakarta.jms.Topic;

/**
 * A JMS topic: the Herald topic of the same name.
 *
 * <p>Thread-safety: immutable.
 */
public class HeraldTopic extends HeraldDestination implements Topic {

    private static final long serialVersionUID = 1L;

    public HeraldTopic(String name) {
        super(name);
    }

    @Override
    public String getTopicName() {
        return name();
    }

    @Override
    String uri() {
        return "topic://" + name();
    }
}
