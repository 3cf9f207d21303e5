package io.herald.jms;

import jakarta.jms.Connection;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link BrokerExtension} with one client of it for all tests of a class: a started connection, an {@code
 * AUTO_ACKNOWLEDGE} session of it and a {@code JMSContext}, closed before the broker stops. Register it as a static
 * field with {@code @RegisterExtension}, in place of the {@code BrokerExtension}.
 *
 * <p>Thread-safety: set up before the class's tests and closed after them; the JMS objects are the provider's.
 */
final class BrokerClientExtension implements BeforeAllCallback, AfterAllCallback {

    private final BrokerExtension broker = new BrokerExtension();
    private Connection connection;
    private Session session;
    private JMSContext context;

    @Override
    public void beforeAll(ExtensionContext extensionContext) throws Exception {
        broker.beforeAll(extensionContext);
        connection = broker.factory().createConnection();
        connection.start();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        context = broker.factory().createContext();
    }

    @Override
    public void afterAll(ExtensionContext extensionContext) throws Exception {
        try {
            if (context != null) {
                context.close();
            }
            if (connection != null) {
                connection.close();
            }
        } finally {
            broker.afterAll(extensionContext);
        }
    }

    HeraldConnectionFactory factory() {
        return broker.factory();
    }

    HeraldConnectionFactory factory(String options) {
        return broker.factory(options);
    }

    /** The connection, started. */
    Connection connection() {
        return connection;
    }

    /** A non-transacted {@code AUTO_ACKNOWLEDGE} session of {@link #connection}. */
    Session session() {
        return session;
    }

    /** A {@code JMSContext} of its own connection. */
    JMSContext context() {
        return context;
    }

    /** A queue of a name no other test uses, starting with {@code prefix}. */
    Queue queue(String prefix) throws JMSException {
        return session.createQueue(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    }
}
