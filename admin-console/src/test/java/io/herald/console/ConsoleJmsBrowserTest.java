package io.herald.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import io.herald.jms.HeraldConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JMS page in headless Chromium, with queues and subscriptions made by the real JMS provider: a queue with waiting,
 * in-flight and dead messages and a consumer, a topic with a durable subscription; the dead letter inspected and moved
 * back to the queue from the queue's page; the connection in the connected clients table, with its client id and the
 * queue it consumes. Screenshots {@code jms.png} and {@code jms-queue.png}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleJmsBrowserTest extends BrowserTestBase {

    @Test
    void anOperatorSeesQueuesAndSubscriptionsAndMovesADeadLetterBack() throws Exception {
        try (Connection c = new HeraldConnectionFactory(
                        "herald://" + console.bootstrap() + "?maxDeliveries=2&clientId=shop")
                .createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue q = s.createQueue("shop-payments");
            MessageConsumer consumer = s.createConsumer(q);
            s.createProducer(q).send(s.createTextMessage("{\"payment\": 7, \"card\": \"expired\"}"));
            for (int i = 0; i < 2; i++) {
                org.assertj.core.api.Assertions.assertThat(consumer.receive(20_000))
                        .isNotNull();
                s.recover();
            }
            for (int i = 1; i <= 3; i++) {
                s.createProducer(q).send(s.createTextMessage("{\"payment\": " + i + "}"));
            }
            Topic news = s.createTopic("shop-news");
            s.createDurableConsumer(news, "audit").close();
            s.createProducer(news).send(s.createTextMessage("sale"));

            page.navigate(console.base() + "/#/jms");
            assertThat(page.locator("#queues tr[data-queue='shop-payments']")).containsText("DLQ.shop-payments");
            assertThat(page.locator("#queues tr[data-queue='shop-payments'] .tag.bad"))
                    .hasText("1");
            assertThat(page.locator("#subscriptions tr[data-subscription='jms.durable.shop.audit']"))
                    .containsText("audit");
            assertThat(page.locator("#subscriptions tr[data-subscription='jms.durable.shop.audit'] td")
                            .nth(6))
                    .hasText("1");
            assertThat(page.locator("#connections tr[data-connection] td").first())
                    .hasText("shop");
            assertThat(page.locator("#connections tr[data-connection]")).containsText("queue:shop-payments");
            screenshot("jms");

            page.click("#queues a:text('shop-payments')");
            assertThat(page.locator("h1")).hasText("Queue shop-payments");
            assertThat(page.locator("#consumers")).hasText("1");
            assertThat(page.locator("#dead-letters-table tr[data-offset='0']"))
                    .containsText("delivery count limit 2 reached");
            assertThat(page.locator("#dead-letters-table tr[data-offset='0']")).containsText("expired");
            screenshot("jms-queue");

            page.click("#retry-dlq");
            assertThat(page.locator(".notice")).containsText("1 message(s) moved back to queue shop-payments");
            assertThat(page.locator("#dead-letters")).hasText("0");
            assertThat(page.locator("#no-dead-letters")).isVisible();
        }
    }
}
