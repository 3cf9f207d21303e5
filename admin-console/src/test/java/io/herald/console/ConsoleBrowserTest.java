package io.herald.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's way through the console in headless Chromium, against a real broker and kafka-clients: create a
 * topic, produce a message through the UI, browse it (text, JSON, hex), watch a consumer group's lag appear and drop,
 * look at the live charts, delete the topic. A screenshot of each page goes to {@code target/console-screenshots}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleBrowserTest {

    @TempDir
    static Path dir;

    static ConsoleBroker console;
    static BrowserSupport browsers;

    BrowserContext context;
    Page page;

    @BeforeAll
    static void start() throws Exception {
        browsers = BrowserSupport.start();
        console = ConsoleBroker.start(dir);
        TopicApiTest.console = console;
        PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
        if (browsers != null) {
            browsers.close();
        }
    }

    @BeforeEach
    void openPage() {
        context = browsers.browser()
                .newContext(new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(1280, 860));
        page = context.newPage();
        page.setDefaultTimeout(15_000);
        // What the page itself reports shows in the test's output, for a failure's diagnosis.
        page.onPageError(error -> System.out.println("page error: " + error));
        page.onConsoleMessage(m -> System.out.println("browser console: " + m.text()));
    }

    @AfterEach
    void closePage(TestInfo test) throws Exception {
        try {
            // the page as the test left it, for a failure's diagnosis
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(BrowserSupport.screenshots()
                            .resolve(
                                    "last-" + test.getTestMethod().orElseThrow().getName() + ".png")));
        } finally {
            context.close();
        }
    }

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

    private void screenshot(String name) throws Exception {
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(BrowserSupport.screenshots().resolve(name + ".png"))
                .setFullPage(true));
    }

    static KafkaConsumer<String, String> consumer(String group) {
        Properties p = console.clientProperties();
        p.put("group.id", group);
        p.put("client.id", group + "-client");
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    static void pollAndCommit(KafkaConsumer<String, String> consumer, int expected) {
        int read = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (read < expected && System.nanoTime() < deadline) {
            read += consumer.poll(Duration.ofMillis(200)).count();
        }
        consumer.commitSync();
    }
}
