package io.herald.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The operator's way through the console in headless Chromium, against a real broker and kafka-clients: create a
 * topic, produce a message through the UI, browse it (text, JSON, hex), watch a consumer group's lag appear and drop,
 * look at the live charts, delete the topic. A screenshot of each page goes to {@code target/console-screenshots}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleBrowserTest extends BrowserTestBase {

    @Test
    void anOperatorCreatesATopicProducesBrowsesWatchesLagAndDeletesTheTopic() throws Exception {
        page.navigate(console.base() + "/#/cluster");
        assertThat(page.locator("#brokers")).containsText("running");
        assertThat(page.locator("#log-dirs")).containsText(dir.toAbsolutePath().toString());
        screenshot("cluster");

        page.click("header nav a[data-nav=topics]");
        page.fill("#create-topic [name=name]", "shop-orders");
        page.fill("#create-topic [name=partitions]", "2");
        page.fill("#create-topic [name=configs]", "retention.ms=86400000");
        page.click("#create-topic-button");
        assertThat(page.locator("h1")).hasText("Topic shop-orders");
        assertThat(page.locator("#partitions tr")).hasCount(3);
        assertThat(page.locator("#configs tr[data-config='retention.ms']")).containsText("86400000");

        page.click("#browse-messages");
        page.selectOption("#produce [name=partition]", "0");
        page.fill("#produce [name=key]", "order-1");
        page.fill("#produce [name=value]", "{\"id\": 1, \"items\": [\"tea\"]}");
        page.fill("#produce [name=headers]", "source=console");
        page.click("#produce-button");
        Locator row = page.locator("#messages tr[data-offset='0']");
        assertThat(row).containsText("order-1");
        assertThat(row).containsText("source");
        assertThat(row.locator("pre").last()).containsText("\"items\": [\n    \"tea\"\n  ]");
        TopicApiTest.produce("shop-orders", 0, 30);
        page.click("#latest-button");
        assertThat(page.locator("#messages tr[data-offset='30']")).containsText("v29");
        page.click("#previous-page");
        assertThat(page.locator("#messages tr[data-offset='1']")).containsText("v0");
        page.click("#next-page");
        assertThat(page.locator("#messages tr[data-offset='21']")).isVisible();
        page.fill("#browse [name=offset]", "0");
        page.click("#browse-button");
        page.selectOption("#browse [name=format]", "hex");
        assertThat(page.locator("#messages tr[data-offset='0']")).containsText("7b 22 69 64");
        page.selectOption("#browse [name=format]", "json");
        assertThat(page.locator("#messages tr[data-offset='0'] pre").last()).containsText("\"items\": [");
        screenshot("messages");

        page.navigate(console.base() + "/#/topics");
        assertThat(page.locator("#topics tr[data-topic='shop-orders']")).containsText("31");
        screenshot("topics");
        page.click("#topics a:text('shop-orders')");
        assertThat(page.locator("#partitions")).containsText("31");
        screenshot("topic");

        try (KafkaConsumer<String, String> consumer = consumer("shop-billing")) {
            consumer.subscribe(List.of("shop-orders"));
            pollAndCommit(consumer, 31);
            page.navigate(console.base() + "/#/groups");
            assertThat(page.locator("#groups tr[data-group='shop-billing']")).containsText("Stable");
            screenshot("groups");
            page.click("#groups a:text('shop-billing')");
            assertThat(page.locator("#total-lag")).hasText("0");

            TopicApiTest.produce("shop-orders", 1, 7);
            assertThat(page.locator("#total-lag")).hasText("7");
            assertThat(page.locator("#lag")).containsText("shop-orders");
            screenshot("group");

            pollAndCommit(consumer, 7);
            assertThat(page.locator("#total-lag")).hasText("0");
        }

        page.navigate(console.base() + "/#/charts");
        assertThat(page.locator("#chart-messages")).isVisible();
        page.waitForFunction(
                "() => Chart.getChart('chart-topics-in').data.datasets.some(d => d.label === 'shop-orders')");
        screenshot("charts");

        page.navigate(console.base() + "/#/topics/shop-orders");
        page.click("#delete-topic");
        page.fill("dialog [name=confirm]", "shop-orders");
        page.click("#confirm-delete");
        assertThat(page).hasURL(Pattern.compile(".*#/topics$"));
        assertThat(page.locator("#topic-list")).not().containsText("shop-orders");
    }
}
