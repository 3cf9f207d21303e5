package io.herald.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A share group (KIP-932) on the Groups pages in headless Chromium, made by kafka-clients' own {@link
 * KafkaShareConsumer}: listed with type share, its page with the member and the partition's start offset, waiting and
 * in-flight records; deleting it refused while the consumer is in the group, then done. Screenshot {@code
 * share-group.png}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleShareGroupBrowserTest extends BrowserTestBase {

    @Test
    void anOperatorSeesAShareGroupsMemberAndRecordsAndDeletesItOnceEmpty() throws Exception {
        console.post("/api/topics", "{\"name\": \"shop-tasks\", \"partitions\": 2}");
        ShareGroupApiTest.produce(console, "shop-tasks", 0, 8);
        ShareGroupApiTest.produce(console, "shop-tasks", 1, 4);
        ShareGroupApiTest.setGroupConfig(console, "shop-workers", "share.auto.offset.reset", "earliest");

        try (KafkaShareConsumer<String, String> consumer = ShareGroupApiTest.shareConsumer(console, "shop-workers")) {
            consumer.subscribe(List.of("shop-tasks"));
            // one poll, left unacknowledged: its records stay in flight for the picture
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !consumer.poll(Duration.ofMillis(200)).isEmpty());

            // produced after the poll: waiting, not yet delivered (the group's lag)
            ShareGroupApiTest.produce(console, "shop-tasks", 0, 3);

            page.navigate(console.base() + "/#/groups");
            assertThat(page.locator("#groups tr[data-group='shop-workers']")).containsText("share");
            assertThat(page.locator("#groups tr[data-group='shop-workers']")).containsText("Stable");
            page.click("#groups a:text('shop-workers')");
            assertThat(page.locator("h1")).hasText("Share group shop-workers");
            assertThat(page.locator("#share-members")).hasText("1");
            assertThat(page.locator("#members")).containsText("shop-workers-client");
            assertThat(page.locator("#share-partitions tr[data-partition='shop-tasks-0']"))
                    .containsText("11");
            assertThat(page.locator("#in-flight")).not().hasText("0");
            screenshot("share-group");

            page.click("#delete-group");
            page.fill("dialog [name=confirm]", "shop-workers");
            page.click("#confirm-delete");
            assertThat(page.locator("#error")).containsText("has members");
        }

        await().atMost(Duration.ofSeconds(30))
                .until(() -> console.get("/api/groups/shop-workers")
                        .json()
                        .get("members")
                        .isEmpty());
        page.navigate(console.base() + "/#/groups/shop-workers");
        assertThat(page.locator("#group-state-name")).hasText("Empty");
        page.click("#delete-group");
        page.fill("dialog [name=confirm]", "shop-workers");
        page.click("#confirm-delete");
        assertThat(page.locator("h1")).hasText("Groups");
        assertThat(page.locator("#groups tr[data-group='shop-workers']")).hasCount(0);
    }
}
