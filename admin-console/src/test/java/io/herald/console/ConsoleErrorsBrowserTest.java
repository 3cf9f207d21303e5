package io.herald.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each way an operator's action can fail in the web UI, in headless Chromium against a real broker: the API's refusal
 * is shown in plain words where the action was taken (the form, or the banner for a page), and nothing is changed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleErrorsBrowserTest extends BrowserTestBase {

    @Test
    void refusedTopicCreationsAreExplainedInTheForm() throws Exception {
        console.post("/api/topics", "{\"name\": \"existing\"}");
        page.navigate(console.base() + "/#/topics");

        create("existing", "1", "1", "");
        assertThat(page.locator("#create-topic .form-error")).containsText("already exists");
        create("replicated", "1", "3", "");
        assertThat(page.locator("#create-topic .form-error")).containsText("Replication factor");
        create("configured", "1", "1", "retention.ms=soon");
        assertThat(page.locator("#create-topic .form-error")).containsText("retention.ms");
        create("configured", "1", "1", "just-a-key");
        assertThat(page.locator("#create-topic .form-error")).containsText("\"just-a-key\" is not a key=value line");
        create("no spaces", "1", "1", "");
        assertThat(page.locator("#create-topic .form-error")).containsText("no spaces");
        screenshot("error-create-topic");

        org.assertj.core.api.Assertions.assertThat(
                        TopicApiTest.names(console.get("/api/topics").json()))
                .doesNotContain("replicated", "configured", "no spaces");
    }

    @Test
    void refusedTopicChangesAreExplainedAndAnUnconfirmedDeleteDeletesNothing() {
        console.post("/api/topics", "{\"name\": \"kept\", \"partitions\": 2}");
        page.navigate(console.base() + "/#/topics/kept");

        page.fill("#add-partitions [name=count]", "1");
        page.click("#add-partitions-button");
        assertThat(page.locator("#add-partitions .form-error")).isVisible();
        assertThat(page.locator("#add-partitions .form-error")).not().hasText("");

        page.selectOption("#alter-configs [name=key]", "segment.bytes");
        page.fill("#alter-configs [name=value]", "tiny");
        page.click("#alter-configs-button");
        assertThat(page.locator("#alter-configs .form-error")).containsText("segment.bytes");

        page.click("#delete-topic");
        page.fill("dialog [name=confirm]", "kep");
        page.click("#confirm-delete");
        assertThat(page.locator("h1")).hasText("Topic kept");
        org.assertj.core.api.Assertions.assertThat(
                        console.get("/api/topics/kept").status())
                .isEqualTo(200);
        org.assertj.core.api.Assertions.assertThat(console.get("/api/topics/kept")
                        .json()
                        .at("/topic/partitions")
                        .asInt())
                .isEqualTo(2);
    }

    @Test
    void refusedBrowsingAndProducingAreExplainedInTheirForms() throws Exception {
        console.post("/api/topics", "{\"name\": \"browsed\"}");
        page.navigate(console.base() + "/#/topics/browsed/messages");

        page.fill("#browse [name=timestamp]", "yesterday");
        page.click("#browse-button");
        assertThat(page.locator("#browse .form-error")).containsText("ISO-8601");

        page.fill("#produce [name=value]", "v");
        page.fill("#produce [name=headers]", "no-value-here");
        page.click("#produce-button");
        assertThat(page.locator("#produce .form-error")).containsText("is not a key=value line");

        page.fill("#produce [name=headers]", "");
        page.fill("#produce [name=value]", "x".repeat(1_100_000));
        page.click("#produce-button");
        assertThat(page.locator("#produce .form-error")).not().hasText("");
        screenshot("error-produce");
        org.assertj.core.api.Assertions.assertThat(console.get("/api/topics/browsed")
                        .json()
                        .at("/topic/messages")
                        .asLong())
                .isZero();
    }

    @Test
    void aPageOfSomethingThatDoesNotExistSaysSo() {
        page.navigate(console.base() + "/#/topics/nope");
        // no security on this broker: no Security page in the menu
        assertThat(page.locator("header nav a[data-nav=security]")).isHidden();
        assertThat(page.locator("#error")).hasText("Topic 'nope' does not exist.");
        page.navigate(console.base() + "/#/groups/nobody");
        assertThat(page.locator("#error")).containsText("nobody");
        assertThat(page.locator("#error")).containsText("does not exist");
    }

    @Test
    void anActiveGroupCannotBeResetOrDeleted() throws Exception {
        console.post("/api/topics", "{\"name\": \"consumed\"}");
        try (KafkaConsumer<String, String> consumer = ConsoleBrowserTest.consumer("active")) {
            consumer.subscribe(List.of("consumed"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(java.time.Duration.ofMillis(200));
            }
            page.navigate(console.base() + "/#/groups/active");
            assertThat(page.locator("#group-state-name")).hasText("Stable");

            page.click("#reset-button");
            assertThat(page.locator("#reset-offsets .form-error")).containsText("Stop its consumers first");
            screenshot("error-reset-offsets");

            page.click("#delete-group");
            page.fill("dialog [name=confirm]", "active");
            page.click("#confirm-delete");
            assertThat(page.locator("#error")).containsText("has members");
            org.assertj.core.api.Assertions.assertThat(
                            console.get("/api/groups/active").status())
                    .isEqualTo(200);
        }
    }

    @Test
    void aBrokerThatStoppedIsReportedAsUnreachable() throws Exception {
        try (ConsoleBroker other = ConsoleBroker.start(Files.createTempDirectory(dir, "other"))) {
            page.navigate(other.base() + "/#/cluster");
            assertThat(page.locator("#brokers")).containsText("running");
            other.close();

            page.click("header nav a[data-nav=topics]");
            assertThat(page.locator("#error")).containsText("The broker does not answer");
            assertThat(page.locator("#status")).hasText("broker unreachable");
            screenshot("error-unreachable");
        }
    }

    private void create(String name, String partitions, String replicationFactor, String configs) {
        page.fill("#create-topic [name=name]", name);
        page.fill("#create-topic [name=partitions]", partitions);
        page.fill("#create-topic [name=replicationFactor]", replicationFactor);
        page.fill("#create-topic [name=configs]", configs);
        page.click("#create-topic-button");
    }
}
