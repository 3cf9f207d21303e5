package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Jakarta Messaging 3.1 §6.1.2 (one open connection per client id) and §8.3.2/§8.3.4 (one active consumer per unshared
 * durable subscription; no unsubscribe while a consumer is active), enforced by the broker through the connections'
 * {@code jms.client.<client id>} groups. Killed processes: {@link TemporaryDestinationCrashTest}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClientIdTest {

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();

    @Test
    void aSecondConnectionWithTheFactorysClientIdIsRefusedUntilTheFirstCloses() throws Exception {
        HeraldConnectionFactory factory = herald.factory("clientId=orders-app");
        Connection first = factory.createConnection();
        try {
            assertThatThrownBy(factory::createConnection)
                    .isInstanceOf(InvalidClientIDException.class)
                    .hasMessageContaining("'orders-app' is in use");
            assertThat(first.getClientID()).isEqualTo("orders-app");
        } finally {
            first.close();
        }
        try (Connection second = factory.createConnection()) {
            assertThat(second.getClientID()).isEqualTo("orders-app");
        }
    }

    @Test
    void setClientIdIsRefusedForAnIdInUseAndTheConnectionMayTakeAnother() throws Exception {
        try (Connection a = herald.factory().createConnection();
                Connection b = herald.factory().createConnection()) {
            a.setClientID("billing");
            assertThatThrownBy(() -> b.setClientID("billing"))
                    .isInstanceOf(InvalidClientIDException.class)
                    .hasMessageContaining("another open connection");
            b.setClientID("billing-2");
            assertThat(b.getClientID()).isEqualTo("billing-2");
            assertThatThrownBy(() -> herald.factory("clientId=billing-2").createConnection())
                    .isInstanceOf(InvalidClientIDException.class);
        }
    }

    @Test
    void aJmsContextGetsTheRuntimeExceptionForAClientIdInUse() {
        try (JMSContext first = herald.factory("clientId=ctx-app").createContext()) {
            assertThatThrownBy(() -> herald.factory("clientId=ctx-app").createContext())
                    .isInstanceOf(InvalidClientIDRuntimeException.class);
            try (JMSContext other = herald.factory().createContext()) {
                assertThatThrownBy(() -> other.setClientID("ctx-app"))
                        .isInstanceOf(InvalidClientIDRuntimeException.class);
            }
        }
        try (JMSContext again = herald.factory("clientId=ctx-app").createContext()) {
            assertThat(again.getClientID()).isEqualTo("ctx-app");
        }
    }

    @Test
    void anUnsharedDurableSubscriptionHasOneActiveConsumerAtATime() throws Exception {
        try (Connection c = herald.factory("clientId=durable-app").createConnection()) {
            c.start();
            Session s1 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Session s2 = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = s1.createTopic("client-id-durable");
            MessageConsumer first = s1.createDurableConsumer(topic, "audit");

            assertThatThrownBy(() -> s2.createDurableConsumer(topic, "audit"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already has an active consumer");
            assertThatThrownBy(() -> s2.createSharedDurableConsumer(topic, "audit"))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> s2.unsubscribe("audit"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("active consumer");

            first.close();
            // no message through it: delivery is TopicTest's subject, and a share consumer that received one takes
            // about 5 s to close (its leave request times out; the same on main)
            MessageConsumer second = s2.createDurableConsumer(topic, "audit");
            assertThat(second.getMessageSelector()).isNull();
            second.close();
            s2.unsubscribe("audit");
            assertThatThrownBy(() -> s2.unsubscribe("audit")).isInstanceOf(InvalidDestinationException.class);
        }
    }

    @Test
    void theSimplifiedApiGetsIllegalStateRuntimeExceptionAndSharedDurableSubscriptionsStayShared() {
        try (JMSContext ctx = herald.factory("clientId=durable-ctx").createContext()) {
            Topic topic = ctx.createTopic("client-id-durable-ctx");
            JMSConsumer first = ctx.createDurableConsumer(topic, "audit");
            JMSContext other = ctx.createContext(JMSContext.AUTO_ACKNOWLEDGE);
            assertThatThrownBy(() -> other.createDurableConsumer(topic, "audit"))
                    .isInstanceOf(IllegalStateRuntimeException.class);
            assertThatThrownBy(() -> ctx.unsubscribe("audit")).isInstanceOf(IllegalStateRuntimeException.class);
            first.close();
            ctx.unsubscribe("audit");

            JMSConsumer shared1 = ctx.createSharedDurableConsumer(topic, "fan");
            JMSConsumer shared2 = other.createSharedDurableConsumer(topic, "fan");
            assertThatThrownBy(() -> other.createDurableConsumer(topic, "fan"))
                    .isInstanceOf(IllegalStateRuntimeException.class);
            shared1.close();
            shared2.close();
            ctx.unsubscribe("fan");
            other.close();
        }
    }
}
