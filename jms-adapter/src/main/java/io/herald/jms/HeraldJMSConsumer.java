package io.herald.jms;

import jakarta.jms.JMSConsumer;
import jakarta.jms.Message;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageListener;

/**
 * The simplified API's consumer: a {@link HeraldMessageConsumer} with runtime exceptions and body receives.
 *
 * <p>Thread-safety: as its context.
 */
final class HeraldJMSConsumer implements JMSConsumer {

    private final HeraldJMSContext context;
    private final HeraldMessageConsumer consumer;

    HeraldJMSConsumer(HeraldJMSContext context, HeraldMessageConsumer consumer) {
        this.context = context;
        this.consumer = consumer;
    }

    @Override
    public String getMessageSelector() {
        return HeraldJMSContext.unchecked(consumer::getMessageSelector);
    }

    @Override
    public MessageListener getMessageListener() {
        return HeraldJMSContext.unchecked(consumer::getMessageListener);
    }

    @Override
    public void setMessageListener(MessageListener listener) {
        HeraldJMSContext.unchecked(() -> {
            consumer.setMessageListener(listener);
            return null;
        });
    }

    private Message seen(Message m) {
        if (m != null) {
            context.received(m);
        }
        return m;
    }

    @Override
    public Message receive() {
        return seen(HeraldJMSContext.unchecked(consumer::receive));
    }

    @Override
    public Message receive(long timeout) {
        return seen(HeraldJMSContext.unchecked(() -> consumer.receive(timeout)));
    }

    @Override
    public Message receiveNoWait() {
        return seen(HeraldJMSContext.unchecked(consumer::receiveNoWait));
    }

    @Override
    public void close() {
        HeraldJMSContext.unchecked(() -> {
            consumer.close();
            return null;
        });
    }

    /** receiveBody with {@code timeoutMs} (0: wait until a message comes or the consumer closes). */
    private <T> T body(long timeoutMs, Class<T> c) {
        try {
            HeraldMessage m;
            if (timeoutMs == 0) {
                do {
                    m = consumer.nextWithBody(1000, c);
                } while (m == null && !consumer.isClosed());
            } else {
                m = consumer.nextWithBody(timeoutMs, c);
            }
            return m == null ? null : seen(m).getBody(c);
        } catch (jakarta.jms.MessageFormatException e) {
            throw new MessageFormatRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } catch (jakarta.jms.JMSException e) {
            throw JmsErrors.runtime(e);
        }
    }

    @Override
    public <T> T receiveBody(Class<T> c) {
        return body(0, c);
    }

    @Override
    public <T> T receiveBody(Class<T> c, long timeout) {
        return body(timeout, c);
    }

    @Override
    public <T> T receiveBodyNoWait(Class<T> c) {
        return body(1, c);
    }
}
