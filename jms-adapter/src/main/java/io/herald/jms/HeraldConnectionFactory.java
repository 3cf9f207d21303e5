package io.herald.jms;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.TopicConnection;
import jakarta.jms.TopicConnectionFactory;
import java.io.Serializable;

/**
 * The entry point of the Herald JMS provider. {@code new HeraldConnectionFactory()} connects to {@code
 * localhost:9092}; {@code new HeraldConnectionFactory("herald://host:9092,host2:9092?clientId=app&prefetch=20")} to
 * the brokers and with the options of the URL (see {@link #setBrokerURL}); setters change one option each, for
 * generic tools and dependency injection.
 *
 * <p>Thread-safety: thread-safe; changing options while connections are created gives each connection the options
 * of one moment.
 */
public final class HeraldConnectionFactory
        implements ConnectionFactory, QueueConnectionFactory, TopicConnectionFactory, Serializable {

    private static final long serialVersionUID = 1L;

    private volatile ClientSettings settings = ClientSettings.defaults();
    private volatile BrokerLossSettings brokerLoss = BrokerLossSettings.defaults();

    /** A factory for a broker on {@code localhost:9092}. */
    public HeraldConnectionFactory() {}

    /**
     * A factory for {@code url}.
     *
     * @throws IllegalArgumentException if the URL is not a {@code herald://} URL with known options
     */
    public HeraldConnectionFactory(String url) {
        setBrokerURL(url);
    }

    /**
     * Sets the brokers and options from a URL {@code herald://host:port[,host:port...][?option=value&...]}. Options:
     * {@code clientId}, {@code user}, {@code password}, {@code prefetch}, {@code maxDeliveries}, {@code
     * connectTimeoutMs}, {@code brokerLossTimeoutMs} (see {@link #setBrokerLossTimeoutMs}) and {@code
     * kafka.<kafka-clients setting>}.
     *
     * @throws IllegalArgumentException if the URL does not parse
     */
    public void setBrokerURL(String url) {
        BrokerLossSettings loss = BrokerLossSettings.defaults();
        String rest = url;
        int q = url == null ? -1 : url.indexOf('?');
        if (q >= 0) {
            // brokerLossTimeoutMs is ours, not ClientSettings': taken out before the rest is parsed there.
            StringBuilder kept = new StringBuilder();
            for (String pair : url.substring(q + 1).split("&")) {
                String key = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                if (key.equals(BrokerLossSettings.TIMEOUT_KEY)) {
                    loss = loss.withTimeout(pair.substring(pair.indexOf('=') + 1));
                } else if (!pair.isEmpty()) {
                    kept.append(kept.length() == 0 ? "" : "&").append(pair);
                }
            }
            rest = url.substring(0, q) + (kept.length() == 0 ? "" : "?" + kept);
        }
        this.settings = ClientSettings.parse(rest);
        this.brokerLoss = loss;
    }

    /**
     * How long no broker may answer before a connection's {@code ExceptionListener} is told (once per outage) that the
     * connection lost the brokers; default 10000. The connection keeps trying and works again once a broker is back.
     */
    public void setBrokerLossTimeoutMs(int ms) {
        brokerLoss = brokerLoss.withTimeout(String.valueOf(ms));
    }

    public void setBootstrapServers(String servers) {
        settings = settings.withBootstrap(servers);
    }

    public String getBootstrapServers() {
        return settings.bootstrapServers();
    }

    public void setClientId(String clientId) {
        settings = settings.with("clientId", clientId);
    }

    public void setUser(String user) {
        settings = settings.with("user", user);
    }

    public void setPassword(String password) {
        settings = settings.with("password", password);
    }

    public void setPrefetch(int prefetch) {
        settings = settings.with("prefetch", String.valueOf(prefetch));
    }

    public void setMaxDeliveries(int maxDeliveries) {
        settings = settings.with("maxDeliveries", String.valueOf(maxDeliveries));
    }

    public void setConnectTimeoutMs(int ms) {
        settings = settings.with("connectTimeoutMs", String.valueOf(ms));
    }

    /** Sets one option by name, as in the URL (used by JNDI). */
    public void setOption(String name, String value) {
        if (BrokerLossSettings.TIMEOUT_KEY.equals(name)) {
            brokerLoss = brokerLoss.withTimeout(value);
        } else {
            settings = settings.with(name, value);
        }
    }

    @Override
    public Connection createConnection() throws JMSException {
        return HeraldConnection.open(settings, brokerLoss);
    }

    @Override
    public Connection createConnection(String userName, String password) throws JMSException {
        return HeraldConnection.open(settings.with("user", userName).with("password", password), brokerLoss);
    }

    @Override
    public QueueConnection createQueueConnection() throws JMSException {
        return HeraldConnection.open(settings, brokerLoss);
    }

    @Override
    public QueueConnection createQueueConnection(String userName, String password) throws JMSException {
        return (QueueConnection) createConnection(userName, password);
    }

    @Override
    public TopicConnection createTopicConnection() throws JMSException {
        return HeraldConnection.open(settings, brokerLoss);
    }

    @Override
    public TopicConnection createTopicConnection(String userName, String password) throws JMSException {
        return (TopicConnection) createConnection(userName, password);
    }

    @Override
    public JMSContext createContext() {
        return createContext(JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(String userName, String password) {
        return createContext(userName, password, JMSContext.AUTO_ACKNOWLEDGE);
    }

    @Override
    public JMSContext createContext(String userName, String password, int sessionMode) {
        try {
            return HeraldJMSContext.open(
                    HeraldConnection.open(settings.with("user", userName).with("password", password), brokerLoss),
                    sessionMode);
        } catch (JMSException e) {
            throw JmsErrors.runtime(e);
        }
    }

    @Override
    public JMSContext createContext(int sessionMode) {
        try {
            return HeraldJMSContext.open(HeraldConnection.open(settings, brokerLoss), sessionMode);
        } catch (JMSException e) {
            throw JmsErrors.runtime(e);
        } catch (JMSRuntimeException e) {
            throw e;
        }
    }
}
