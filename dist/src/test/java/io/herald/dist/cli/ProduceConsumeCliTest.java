package io.herald.dist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code herald produce} and {@code herald consume} against an in-process broker, checked with kafka-clients. */
class ProduceConsumeCliTest extends BrokerTestSupport {

    private final ExecutorService background = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopBackground() throws InterruptedException {
        background.shutdownNow();
        assertThat(background.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void produceSendsOneRecordPerLineWithKeysAndHeaders() throws Exception {
        createTopic("lines", 1);

        Cli.Result result = cli.runWithInput(
                "alice:hello\nbob:a:b\n", "produce", "lines", "--key-separator", ":", "-H", "source=cli", "-H", "flag");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<ConsumerRecord<String, String>> records = readAll("lines", 1, 2);
        assertThat(records).extracting(ConsumerRecord::key).containsExactly("alice", "bob");
        assertThat(records).extracting(ConsumerRecord::value).containsExactly("hello", "a:b");
        Map<String, String> headers = headersOf(records.get(0));
        assertThat(headers)
                .containsEntry("source", "cli")
                .containsEntry("flag", null)
                .hasSize(2);
    }

    @Test
    void withoutAKeySeparatorRecordsHaveNoKey() throws Exception {
        createTopic("nokeys", 1);

        assertThat(cli.runWithInput("a:1\n\nlast", "produce", "nokeys").exitCode())
                .isZero();

        List<ConsumerRecord<String, String>> records = readAll("nokeys", 1, 3);
        assertThat(records).extracting(ConsumerRecord::value).containsExactly("a:1", "", "last");
        assertThat(records).extracting(ConsumerRecord::key).containsOnlyNulls();
    }

    @Test
    void everyCompressionCodecAndAcksSettingProducesReadableRecords() throws Exception {
        createTopic("codecs", 1);
        String[][] settings = {{"none", "all"}, {"gzip", "1"}, {"snappy", "0"}, {"lz4", "-1"}, {"zstd", "all"}};

        for (String[] s : settings) {
            Cli.Result result =
                    cli.runWithInput("via " + s[0] + "\n", "produce", "codecs", "--compression", s[0], "--acks", s[1]);
            assertThat(result.exitCode()).as(result.toString()).isZero();
        }

        assertThat(readAll("codecs", 1, 5))
                .extracting(ConsumerRecord::value)
                .containsExactly("via none", "via gzip", "via snappy", "via lz4", "via zstd");
    }

    @Test
    void aLineWithoutTheKeySeparatorStopsProducingWithItsLineNumber() throws Exception {
        createTopic("badline", 1);

        Cli.Result result = cli.runWithInput("k:v\nnoseparator\nk:w\n", "produce", "badline", "-k", ":");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("Line 2 has no key separator ':'").contains("noseparator");
        assertThat(readAll("badline", 1, 1)).extracting(ConsumerRecord::value).containsExactly("v");
    }

    @Test
    void consumeFromTheBeginningPrintsValuesAndStopsAfterMaxMessages() throws Exception {
        createTopic("fromstart", 1);
        produce("fromstart", "one", "two", "three");

        Cli.Result result = cli.run("consume", "fromstart", "--from-beginning", "--max-messages", "2");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("one\ntwo\n");
        assertThat(result.err()).contains("Processed a total of 2 messages");
    }

    @Test
    void consumePrintsTheFieldsKafkasConsoleConsumerPrints() throws Exception {
        createTopic("fields", 1);
        cli.runWithInput("key1\tvalue1\n", "produce", "fields", "-k", "\\t", "-H", "h=v");

        Cli.Result result = cli.run(
                "consume",
                "fields",
                "--from-beginning",
                "-n",
                "1",
                "--print-timestamp",
                "--print-partition",
                "--print-offset",
                "--print-headers",
                "--print-key",
                "--separator",
                " | ");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).matches("CreateTime:\\d+ \\| Partition:0 \\| Offset:0 \\| h:v \\| key1 \\| value1\n");
    }

    @Test
    void aFormatTemplateChoosesTheLayout() throws Exception {
        createTopic("templated", 2);
        cli.runWithInput("a=1\n", "produce", "templated", "-k", "=", "--partition", "1");

        Cli.Result result = cli.run(
                "consume",
                "templated",
                "--from-beginning",
                "-n",
                "1",
                "--format",
                "{topic}/{partition}@{offset}: {key} -> {value} {{{headers}}}");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("templated/1@0: a -> 1 {NO_HEADERS}\n");
    }

    @Test
    void consumeFromAnOffsetOfOnePartitionAndStopAfterTheTimeout() throws Exception {
        createTopic("offsets", 2);
        produce("offsets", "r0", "r1", "r2", "r3");

        Cli.Result result = cli.run(
                "consume", "offsets", "--partition", "0", "--offset", "2", "--timeout", "1000", "--print-offset");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("Offset:2\tr2\nOffset:3\tr3\n");
        assertThat(result.err()).contains("Processed a total of 2 messages");
    }

    @Test
    void byDefaultConsumeStartsAtTheEnd() throws Exception {
        createTopic("tail", 1);
        produce("tail", "old");

        Future<Cli.Result> consumer =
                background.submit(() -> cli.run("consume", "tail", "-n", "1", "--timeout", "30000"));
        // The consumer resolves "the end" at its first poll; produce until it has seen a record produced after that.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    produce("tail", "new");
                    return consumer.isDone();
                });

        Cli.Result result = consumer.get();
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("new\n");
    }

    @Test
    void anInterruptStopsAnEndlessConsumeCleanly() throws Exception {
        createTopic("endless", 1);
        produce("endless", "first");
        Cli.Session session = cli.session();

        Future<Cli.Result> consumer =
                background.submit(() -> session.runWithBootstrap("consume", "endless", "--from-beginning"));
        await().atMost(Duration.ofSeconds(30)).until(() -> session.output().contains("first"));
        session.interrupt();

        Cli.Result result = consumer.get(20, TimeUnit.SECONDS);
        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).contains("Processed a total of 1 messages");
        assertThat(session.hasInterruptHandler())
                .as("the command removes its interrupt handler")
                .isFalse();
    }

    @Test
    void consumingAMissingTopicFailsWithoutCreatingIt() throws Exception {
        Cli.Result result = cli.run("consume", "never-created", "--timeout", "1000");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("Topic never-created does not exist.");
        try (var admin = admin()) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain("never-created");
        }
    }

    @Test
    void optionsThatExcludeEachOtherAreUsageErrors() {
        assertThat(cli.run("consume", "x", "--offset", "3").err()).contains("--offset 3 needs --partition");
        assertThat(cli.run("consume", "x", "--offset", "3", "--partition", "0", "--from-beginning")
                        .exitCode())
                .isEqualTo(2);
        assertThat(cli.run("consume", "x", "--group", "g", "--partition", "0").exitCode())
                .isEqualTo(2);
        Cli.Result badField = cli.run("consume", "x", "--format", "{nope}");
        assertThat(badField.exitCode()).isEqualTo(2);
        assertThat(badField.err()).contains("Unknown field {nope}").contains("partition, offset");
        assertThat(cli.run("consume", "x", "--format", "{value}", "--print-key").exitCode())
                .isEqualTo(2);
    }
}
