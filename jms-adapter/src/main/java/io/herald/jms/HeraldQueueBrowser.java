package io.herald.jms;

import io.herald.selector.MessageSelector;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@code QueueBrowser}: each {@link #getEnumeration} is a {@link QueueSnapshot} of the queue, read without
 * acquiring anything. The selector is evaluated here, on the client, by the same selector language the broker uses
 * for consumers (module jms-selector), since a browser never asks the broker to select for a share-group member.
 *
 * <p>Thread-safety: used by one thread at a time, as its session; {@link #close} may be called from any thread.
 */
final class HeraldQueueBrowser implements QueueBrowser {

    private final HeraldSession session;
    private final HeraldConnection connection;
    private final Queue queue;
    private final String topic;
    private final String selectorText;
    private final MessageSelector selector;
    private final List<QueueSnapshot> snapshots = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private HeraldQueueBrowser(
            HeraldSession session,
            HeraldConnection connection,
            HeraldDestination queue,
            String selectorText,
            MessageSelector selector) {
        this.session = session;
        this.connection = connection;
        this.queue = (Queue) queue;
        this.topic = queue.name();
        this.selectorText = selectorText;
        this.selector = selector;
    }

    /**
     * A browser of {@code queue} showing what {@code selector} (null or blank: everything) selects.
     *
     * @throws InvalidSelectorException if the selector does not parse
     */
    static HeraldQueueBrowser create(
            HeraldSession session, HeraldConnection connection, HeraldDestination queue, String selector)
            throws JMSException {
        String text = Selectors.normalize(selector);
        MessageSelector compiled = null;
        if (text != null) {
            compiled = Selectors.compile(text);
        }
        return new HeraldQueueBrowser(session, connection, queue, text, compiled);
    }

    private void checkOpen() throws JMSException {
        if (closed) {
            throw JmsErrors.closed("browser");
        }
        session.checkUsable();
    }

    @Override
    public Queue getQueue() throws JMSException {
        checkOpen();
        return queue;
    }

    @Override
    public String getMessageSelector() throws JMSException {
        checkOpen();
        return selectorText;
    }

    @Override
    public Enumeration<Message> getEnumeration() throws JMSException {
        checkOpen();
        snapshots.removeIf(QueueSnapshot::isClosed);
        QueueSnapshot s = QueueSnapshot.open(
                connection.kafkaProperties("browser"),
                connection.admin(),
                topic,
                HeraldConnection.queueGroupName(topic),
                queue,
                selector,
                Duration.ofMillis(connection.settings().connectTimeoutMs()));
        snapshots.add(s);
        return s;
    }

    @Override
    public void close() throws JMSException {
        if (closed) {
            return;
        }
        closed = true;
        for (QueueSnapshot s : snapshots) {
            s.close();
        }
        snapshots.clear();
        session.removeBrowser(this);
    }
}
