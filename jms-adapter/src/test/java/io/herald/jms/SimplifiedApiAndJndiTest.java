package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import jakarta.jms.Topic;
import java.util.Hashtable;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NameNotFoundException;
import javax.naming.OperationNotSupportedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Jakarta Messaging 3.1 chapter 7 (the simplified API) and JNDI lookup as applications configure it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SimplifiedApiAndJndiTest {

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aJmsContextSendsAndReceivesBodiesOfEveryKind() {
        try (JMSContext context = herald.factory().createContext()) {
            Queue q = context.createQueue(unique("ctx"));
            context.createProducer()
                    .setProperty("k", "v")
                    .send(q, "text")
                    .send(q, new byte[] {7})
                    .send(q, Map.of("a", 1))
                    .send(q, (java.io.Serializable) java.util.List.of("x"));
            JMSConsumer consumer = context.createConsumer(q);
            assertThat(consumer.receiveBody(String.class, 20_000)).isEqualTo("text");
            assertThat(consumer.receiveBody(byte[].class, 20_000)).containsExactly(7);
            assertThat(consumer.receiveBody(Map.class, 20_000)).containsEntry("a", 1);
            assertThat(consumer.receiveBody(java.util.List.class, 20_000)).containsExactly("x");
        }
    }

    @Test
    void contextsMadeFromAContextShareItsConnection() {
        JMSContext first = herald.factory().createContext(JMSContext.CLIENT_ACKNOWLEDGE);
        JMSContext second = first.createContext(JMSContext.AUTO_ACKNOWLEDGE);
        Topic t = first.createTopic(unique("shared-conn"));
        JMSConsumer c = second.createConsumer(t);
        first.createProducer().send(t, "via first");
        assertThat(c.receiveBody(String.class, 20_000)).isEqualTo("via first");
        first.close();
        second.createProducer().send(t, "still open");
        assertThat(c.receiveBody(String.class, 20_000)).isEqualTo("still open");
        second.close();
    }

    @Test
    void jndiLooksUpFactoriesAndDestinationsConfiguredAsInJndiProperties() throws Exception {
        String queue = unique("jndi-queue");
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, HeraldInitialContextFactory.class.getName());
        env.put(Context.PROVIDER_URL, herald.url());
        env.put("connectionFactory.AppFactory", herald.url() + "?clientId=jndi-app");
        env.put("queue.jms/Orders", queue);
        env.put("topic.jms/Prices", "prices");
        InitialContext jndi = new InitialContext(env);
        ConnectionFactory factory = (ConnectionFactory) jndi.lookup("AppFactory");
        Queue orders = (Queue) jndi.lookup("jms/Orders");
        assertThat(orders.getQueueName()).isEqualTo(queue);
        assertThat(((Topic) jndi.lookup("jms/Prices")).getTopicName()).isEqualTo("prices");
        assertThat(jndi.lookup("ConnectionFactory")).isInstanceOf(HeraldConnectionFactory.class);
        assertThatThrownBy(() -> jndi.lookup("nope")).isInstanceOf(NameNotFoundException.class);
        assertThatThrownBy(() -> jndi.bind("x", "y")).isInstanceOf(OperationNotSupportedException.class);
        try (JMSContext context = factory.createContext()) {
            assertThat(context.getClientID()).isEqualTo("jndi-app");
            context.createProducer().send(orders, "looked up");
            assertThat(context.createConsumer(orders).receiveBody(String.class, 20_000))
                    .isEqualTo("looked up");
        }
        jndi.close();
    }

    @Test
    void aFactoryUrlWithAnUnknownOptionIsRefused() {
        assertThatThrownBy(() -> new HeraldConnectionFactory("herald://h:9092?bogus=1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bogus");
        assertThatThrownBy(() -> new HeraldConnectionFactory("tcp://h:9092"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new HeraldConnectionFactory().getBootstrapServers()).isEqualTo("localhost:9092");
    }
}
