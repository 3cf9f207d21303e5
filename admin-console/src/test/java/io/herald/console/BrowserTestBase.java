package io.herald.console;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the console's browser tests share: a real broker with its console ({@link ConsoleBroker}) and headless Chromium
 * ({@link BrowserSupport}) for the test class, a fresh browser context and page for each test, what the page reports in
 * the test output, and a screenshot of the page as each test left it in {@code target/console-screenshots}.
 *
 * <p>Thread-safety: one test thread.
 */
abstract class BrowserTestBase {

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
    final void openPage() {
        context = browsers.browser()
                .newContext(new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(1280, 860));
        page = context.newPage();
        page.setDefaultTimeout(15_000);
        // What the page itself reports shows in the test's output, for a failure's diagnosis.
        page.onPageError(error -> System.out.println("page error: " + error));
        page.onConsoleMessage(m -> System.out.println("browser console: " + m.text()));
    }

    @AfterEach
    final void closePage(TestInfo test) throws Exception {
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

    final void screenshot(String name) throws Exception {
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
