package io.herald.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionMetaData;
import jakarta.jms.Destination;
import jakarta.jms.ExceptionListener;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simplified API (JMS 2.0): a connection and one session in one object. Contexts made from a context share its
 * connection, which closes with the last of them. Consumers start the connection unless auto-start is off.
 *
 * <p>Thread-safety: as a session, one thread at a time.
 */
final class HeraldJMSContext implements JMSContext {

    private final HeraldConnection connection;
    private final AtomicInteger users;
    private final int sessionMode;
    private volatile HeraldSession session;
    private volatile boolean autoStart = true;
    private volatile boolean closed;
    private volatile Message lastReceived;

    private HeraldJMSContext(HeraldConnection connection, AtomicInteger users, int sessionMode) {
        this.connection = connection;
        this.users = users;
        this.sessionMode = sessionMode;
    }

    static HeraldJMSContext open(HeraldConnection connection, int sessionMode) {
        checkMode(sessionMode);
        return new HeraldJMSContext(connection, new AtomicInteger(1), sessionMode);
    }

    private static void checkMode(int mode) {
        if (mode != JMSContext.AUTO_ACKNOWLEDGE
                && mode != JMSContext.CLIENT_ACKNOWLEDGE
                && mode != JMSContext.DUPS_OK_ACKNOWLEDGE
                && mode != JMSContext.SESSION_TRANSACTED) {
            throw new jakarta.jms.JMSRuntimeException("Unknown session mode " + mode);
        }
    }

    HeraldSession session() {
        if (closed) {
            throw new jakarta.jms.IllegalStateRuntimeException("The JMSContext is closed");
        }
        HeraldSession s = session;
        if (s == null) {
            synchronized (this) {
                s = session;
                if (s == null) {
                    try {
                        s = (HeraldSession)
                                connection.createSession(sessionMode == Session.SESSION_TRANSACTED, sessionMode);
                    } catch (JMSException e) {
                        throw JmsErrors.runtime(e);
                    }
                    session = s;
                }
            }
        }
        return s;
    }

    interface Call<T> {
        T call() throws JMSException;
    }

    static <T> T unchecked(Call<T> c) {
        try {
            return c.call();
        } catch (JMSException e) {
            throw JmsErrors.runtime(e);
        }
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        checkMode(sessionMode);
        if (closed) {
            throw new jakarta.jms.IllegalStateRuntimeException("The JMSContext is closed");
        }
        users.incrementAndGet();
        HeraldJMSContext c = new HeraldJMSContext(connection, users, sessionMode);
        c.autoStart = autoStart;
        return c;
    }

    @Override
    public JMSProducer createProducer() {
        session(); // a closed context refuses (6.1.8), and the client id is fixed from now on (6.1.2)
        return new HeraldJMSProducer(this);
    }

    @Override
    public String getClientID() {
        return unchecked(connection::getClientID);
    }

    @Override
    public void setClientID(String clientID) {
        unchecked(() -> {
            connection.setClientID(clientID);
            return null;
        });
    }

    @Override
    public ConnectionMetaData getMetaData() {
        return unchecked(connection::getMetaData);
    }

    @Override
    public ExceptionListener getExceptionListener() {
        return unchecked(connection::getExceptionListener);
    }

    @Override
    public void setExceptionListener(ExceptionListener listener) {
        unchecked(() -> {
            connection.setExceptionListener(listener);
            return null;
        });
    }

    @Override
    public void start() {
        unchecked(() -> {
            connection.start();
            return null;
        });
    }

    @Override
    public void stop() {
        unchecked(() -> {
            connection.stop();
            return null;
        });
    }

    @Override
    public void setAutoStart(boolean autoStart) {
        this.autoStart = autoStart;
    }

    @Override
    public boolean getAutoStart() {
        return autoStart;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        unchecked(() -> {
            HeraldSession s = session;
            if (s != null) {
                s.close();
            }
            if (users.decrementAndGet() == 0) {
                connection.close();
            }
            return null;
        });
    }

    @Override
    public BytesMessage createBytesMessage() {
        return unchecked(() -> session().createBytesMessage());
    }

    @Override
    public MapMessage createMapMessage() {
        return unchecked(() -> session().createMapMessage());
    }

    @Override
    public Message createMessage() {
        return unchecked(() -> session().createMessage());
    }

    @Override
    public ObjectMessage createObjectMessage() {
        return unchecked(() -> session().createObjectMessage());
    }

    @Override
    public ObjectMessage createObjectMessage(Serializable object) {
        return unchecked(() -> session().createObjectMessage(object));
    }

    @Override
    public StreamMessage createStreamMessage() {
        return unchecked(() -> session().createStreamMessage());
    }

    @Override
    public TextMessage createTextMessage() {
        return unchecked(() -> session().createTextMessage());
    }

    @Override
    public TextMessage createTextMessage(String text) {
        return unchecked(() -> session().createTextMessage(text));
    }

    @Override
    public boolean getTransacted() {
        return sessionMode == Session.SESSION_TRANSACTED;
    }

    @Override
    public int getSessionMode() {
        return sessionMode;
    }

    @Override
    public void commit() {
        unchecked(() -> {
            session().commit();
            return null;
        });
    }

    @Override
    public void rollback() {
        unchecked(() -> {
            session().rollback();
            return null;
        });
    }

    @Override
    public void recover() {
        unchecked(() -> {
            session().recover();
            return null;
        });
    }

    private JMSConsumer consumer(Call<MessageConsumer> create) {
        MessageConsumer c = unchecked(create);
        if (autoStart) {
            start();
        }
        return new HeraldJMSConsumer(this, (HeraldMessageConsumer) c);
    }

    @Override
    public JMSConsumer createConsumer(Destination destination) {
        return consumer(() -> session().createConsumer(destination));
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String selector) {
        return consumer(() -> session().createConsumer(destination, selector));
    }

    @Override
    public JMSConsumer createConsumer(Destination destination, String selector, boolean noLocal) {
        return consumer(() -> session().createConsumer(destination, selector, noLocal));
    }

    @Override
    public Queue createQueue(String queueName) {
        return unchecked(() -> session().createQueue(queueName));
    }

    @Override
    public Topic createTopic(String topicName) {
        return unchecked(() -> session().createTopic(topicName));
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name) {
        return consumer(() -> session().createDurableConsumer(topic, name));
    }

    @Override
    public JMSConsumer createDurableConsumer(Topic topic, String name, String selector, boolean noLocal) {
        return consumer(() -> session().createDurableConsumer(topic, name, selector, noLocal));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name) {
        return consumer(() -> session().createSharedDurableConsumer(topic, name));
    }

    @Override
    public JMSConsumer createSharedDurableConsumer(Topic topic, String name, String selector) {
        return consumer(() -> session().createSharedDurableConsumer(topic, name, selector));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String name) {
        return consumer(() -> session().createSharedConsumer(topic, name));
    }

    @Override
    public JMSConsumer createSharedConsumer(Topic topic, String name, String selector) {
        return consumer(() -> session().createSharedConsumer(topic, name, selector));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue) {
        return unchecked(() -> session().createBrowser(queue));
    }

    @Override
    public QueueBrowser createBrowser(Queue queue, String selector) {
        return unchecked(() -> session().createBrowser(queue, selector));
    }

    @Override
    public TemporaryQueue createTemporaryQueue() {
        return unchecked(() -> session().createTemporaryQueue());
    }

    @Override
    public TemporaryTopic createTemporaryTopic() {
        return unchecked(() -> session().createTemporaryTopic());
    }

    @Override
    public void unsubscribe(String name) {
        unchecked(() -> {
            session().unsubscribe(name);
            return null;
        });
    }

    void received(Message m) {
        lastReceived = m;
    }

    @Override
    public void acknowledge() {
        unchecked(() -> {
            session().acknowledgeClient();
            return null;
        });
    }
}
