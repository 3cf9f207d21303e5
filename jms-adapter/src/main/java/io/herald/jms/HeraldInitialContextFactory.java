package io.herald.jms;

import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.spi.InitialContextFactory;

/**
 * JNDI for applications that look their JMS objects up, as other providers offer: with {@code
 * java.naming.factory.initial=io.herald.jms.HeraldInitialContextFactory} in {@code jndi.properties} (or the
 * environment of an {@code InitialContext}):
 *
 * <pre>
 * java.naming.provider.url = herald://localhost:9092      (the URL of the default factories)
 * connectionFactory.MyFactory = herald://host:9092?clientId=app
 * queue.jms/Orders = orders                                (JNDI name = queue name)
 * topic.jms/Prices = prices
 * </pre>
 *
 * The names {@code ConnectionFactory}, {@code QueueConnectionFactory} and {@code TopicConnectionFactory} are bound to
 * factories for the provider URL (or {@code localhost:9092}).
 *
 * <p>Thread-safety: thread-safe; each call builds a new read-only context.
 */
public final class HeraldInitialContextFactory implements InitialContextFactory {

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) throws NamingException {
        Map<String, Object> bindings = new HashMap<>();
        Object url = environment.get(Context.PROVIDER_URL);
        try {
            for (String name : new String[] {"ConnectionFactory", "QueueConnectionFactory", "TopicConnectionFactory"}) {
                bindings.put(
                        name,
                        url == null ? new HeraldConnectionFactory() : new HeraldConnectionFactory(url.toString()));
            }
            for (Map.Entry<?, ?> e : environment.entrySet()) {
                String key = e.getKey().toString();
                String value = e.getValue().toString();
                if (key.startsWith("connectionFactory.")) {
                    bindings.put(key.substring("connectionFactory.".length()), new HeraldConnectionFactory(value));
                } else if (key.startsWith("queue.")) {
                    bindings.put(key.substring("queue.".length()), new HeraldQueue(value));
                } else if (key.startsWith("topic.")) {
                    bindings.put(key.substring("topic.".length()), new HeraldTopic(value));
                }
            }
        } catch (IllegalArgumentException e) {
            NamingException n = new NamingException("Bad Herald JNDI configuration: " + e.getMessage());
            n.setRootCause(e);
            throw n;
        }
        return new ReadOnlyContext(bindings, environment);
    }
}
