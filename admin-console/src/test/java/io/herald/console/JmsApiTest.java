package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.jms.HeraldConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JMS endpoints against a real broker driven by the real JMS provider: a queue's depth, in-flight messages and
 * consumers, its dead-letter queue (inspected, retried back to the queue, purged), a JMS topic's durable and shared
 * subscriptions, and the open connections.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JmsApiTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static JsonNode queue(ConsoleBroker console, String name) {
        ConsoleBroker.Response r = console.get("/api/jms/queues/" + name);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json();
    }

    @Test
    void aQueueShowsDepthInFlightConsumersAndItsDeadLettersWhichCanBeRetriedAndPurged() throws Exception {
        try (ConsoleBroker console = ConsoleBroker.start(dir);
                Connection c = new HeraldConnectionFactory("herald://" + console.bootstrap() + "?maxDeliveries=2")
                        .createConnection()) {
            assertThat(console.get("/api/jms").json().get("available").asBoolean())
                    .isTrue();
            assertThat(console.get("/api/jms/queues/payments").status()).isEqualTo(404);
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue q = s.createQueue("payments");
            MessageConsumer poisoned = s.createConsumer(q);
            s.createProducer(q).send(s.createTextMessage("poison"));
            for (int i = 0; i < 2; i++) {
                assertThat(poisoned.receive(20_000)).isNotNull();
                s.recover();
            }
            poisoned.close();
            await().atMost(WAIT)
                    .until(() ->
                            queue(console, "payments").at("/queue/deadLetters").asLong() == 1);

            JsonNode dead = console.get("/api/jms/queues/payments/dlq/messages?partition=0")
                    .json();
            assertThat(dead.get("topic").asText()).isEqualTo("DLQ.payments");
            assertThat(dead.at("/messages/0/value/text").asText()).isEqualTo("poison");
            assertThat(dead.at("/messages/0/headers").toString())
                    .contains("JMS_Herald_DLQReason")
                    .contains("delivery count limit 2 reached");

            Session producer = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (String text : new String[] {"a", "b", "c"}) {
                producer.createProducer(q).send(producer.createTextMessage(text));
            }
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode summary = queue(console, "payments").get("queue");
                assertThat(summary.get("depth").asLong()).isEqualTo(3);
                assertThat(summary.get("inFlight").asLong()).isZero();
                assertThat(summary.get("consumers").asInt()).isZero();
            });
            assertThat(console.get("/api/jms/queues").json().toString())
                    .contains("\"name\":\"payments\"")
                    .contains("\"deadLetterQueue\":\"DLQ.payments\"");

            MessageConsumer holding = s.createConsumer(q);
            TextMessage held = (TextMessage) holding.receive(20_000);
            assertThat(held).isNotNull();
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode state = queue(console, "payments");
                assertThat(state.at("/queue/consumers").asInt()).isEqualTo(1);
                assertThat(state.at("/queue/inFlight").asLong()).isPositive();
                assertThat(state.at("/queue/depth").asLong()
                                + state.at("/queue/inFlight").asLong())
                        .isEqualTo(3);
                assertThat(state.at("/consumers/0/partitions").toString()).isEqualTo("[0]");
            });

            assertThat(console.post("/api/jms/queues/payments/dlq/retry", "{}")
                            .json()
                            .get("messages")
                            .asLong())
                    .isEqualTo(1);
            assertThat(queue(console, "payments").at("/queue/deadLetters").asLong())
                    .isZero();
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode summary = queue(console, "payments").get("queue");
                assertThat(summary.get("depth").asLong()
                                + summary.get("inFlight").asLong())
                        .as("a, b, c still unacknowledged, and the retried message")
                        .isEqualTo(4);
            });
            JsonNode back = console.get("/api/topics/payments/partitions/0/messages?position=latest&limit=1")
                    .json()
                    .at("/messages/0");
            assertThat(back.at("/value/text").asText()).isEqualTo("poison");
            assertThat(back.get("headers").toString()).doesNotContain("JMS_Herald_DLQ");
            holding.close();

            assertThat(console.post("/api/topics/DLQ.payments/messages", "{\"value\": \"x\"}")
                            .status())
                    .isEqualTo(201);
            assertThat(console.delete("/api/jms/queues/payments/dlq/messages").status())
                    .isEqualTo(400);
            ConsoleBroker.Response purged = console.delete("/api/jms/queues/payments/dlq/messages?confirm=payments");
            assertThat(purged.status()).as(purged.text()).isEqualTo(200);
            assertThat(purged.json().get("messages").asLong()).isEqualTo(1);
            assertThat(queue(console, "payments").at("/queue/deadLetters").asLong())
                    .isZero();
        }
    }

    @Test
    void aTopicShowsItsDurableAndSharedSubscriptionsWithTheirBacklog() throws Exception {
        try (ConsoleBroker console = ConsoleBroker.start(dir);
                Connection c = new HeraldConnectionFactory("herald://" + console.bootstrap() + "?clientId=billing")
                        .createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic news = s.createTopic("news");
            MessageConsumer durable = s.createDurableConsumer(news, "audit");
            MessageConsumer shared = s.createSharedDurableConsumer(news, "feed");
            MessageConsumer sharedNonDurable = s.createSharedConsumer(news, "live");
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode topics = console.get("/api/jms/topics").json();
                assertThat(topics.get(0).get("name").asText()).isEqualTo("news");
                assertThat(topics.get(0).get("subscriptions").toString())
                        .contains("\"group\":\"jms.durable.billing.audit\",\"kind\":\"durable\","
                                + "\"clientId\":\"billing\",\"name\":\"audit\"")
                        .contains("\"group\":\"jms.durable.billing.feed\",\"kind\":\"durable\",")
                        .contains("\"group\":\"jms.shared.billing.live\",\"kind\":\"shared\","
                                + "\"clientId\":\"billing\",\"name\":\"live\",\"state\":\"Stable\",\"consumers\":1");
            });
            durable.close();
            shared.close();
            sharedNonDurable.close();

            for (int i = 0; i < 2; i++) {
                s.createProducer(news).send(s.createTextMessage("n" + i));
            }
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode subscriptions =
                        console.get("/api/jms/topics").json().get(0).get("subscriptions");
                for (JsonNode sub : subscriptions) {
                    if (sub.get("kind").asText().equals("shared")) {
                        continue; // a shared non-durable subscription ends with its last consumer
                    }
                    assertThat(sub.get("backlog").asLong()).as(sub.toString()).isEqualTo(2);
                    assertThat(sub.get("consumers").asInt()).isZero();
                }
            });
        }
    }

    private static JsonNode connection(ConsoleBroker console, String clientId) {
        JsonNode listing = console.get("/api/jms/connections").json();
        assertThat(listing.get("unreachableBrokers").toString()).isEqualTo("[]");
        for (JsonNode c : listing.get("connections")) {
            if (c.get("clientId").asText().equals(clientId)) {
                return c;
            }
        }
        return null;
    }

    @Test
    void theOpenConnectionsAreListedWithWhatTheyDoUntilTheyClose() throws Exception {
        try (ConsoleBroker console = ConsoleBroker.start(dir)) {
            HeraldConnectionFactory factory = new HeraldConnectionFactory("herald://" + console.bootstrap());
            Connection producing = new HeraldConnectionFactory("herald://" + console.bootstrap() + "?clientId=shop")
                    .createConnection();
            Connection consuming = factory.createConnection();
            try {
                Session ps = producing.createSession(false, Session.AUTO_ACKNOWLEDGE);
                ps.createProducer(ps.createQueue("orders")).send(ps.createTextMessage("one"));
                Session cs = consuming.createSession(false, Session.AUTO_ACKNOWLEDGE);
                cs.createConsumer(cs.createQueue("orders"));

                await().atMost(WAIT).untilAsserted(() -> {
                    JsonNode shop = connection(console, "shop");
                    assertThat(shop).as("the producing-only connection").isNotNull();
                    assertThat(shop.get("producers").asInt()).isEqualTo(1);
                    assertThat(shop.get("consumers").asInt()).isZero();
                    assertThat(shop.get("sessions").asInt()).isEqualTo(1);
                    assertThat(shop.get("clientHost").asText()).isNotEmpty();
                    assertThat(shop.get("sinceMs").asLong()).isPositive();
                    JsonNode anonymous = connection(console, "");
                    assertThat(anonymous)
                            .as("the consuming connection, without client id")
                            .isNotNull();
                    assertThat(anonymous.get("consumers").asInt()).isEqualTo(1);
                    assertThat(anonymous.get("consuming").toString()).isEqualTo("[\"queue:orders\"]");
                    assertThat(anonymous.get("connectionId").asText())
                            .isNotEqualTo(shop.get("connectionId").asText());
                });
            } finally {
                producing.close();
            }
            await().atMost(WAIT).until(() -> connection(console, "shop") == null);
            assertThat(connection(console, ""))
                    .as("the other one is still open")
                    .isNotNull();
            consuming.close();
            await().atMost(WAIT)
                    .until(() -> console.get("/api/jms/connections")
                            .json()
                            .get("connections")
                            .isEmpty());
        }
    }
}
