package io.herald.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled distribution, as a user gets it: {@code herald-<version>.tar.gz} from the package phase is unpacked
 * and its {@code bin/herald-server} and {@code bin/herald} run as separate processes (with this JVM's Java as
 * JAVA_HOME), talked to with kafka-clients. Runs in the integration-test phase (maven-failsafe-plugin), which passes
 * the tarball's and the unpacked directory's paths.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DistributionIT {

    private static final Pattern LISTENING = Pattern.compile("is listening on PLAINTEXT://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern CONSOLE = Pattern.compile("Admin console on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path unpacked;

    static Path home;

    @TempDir
    Path tmp;

    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void unpackTheTarball() throws Exception {
        Path tarball = Path.of(System.getProperty("herald.dist.tarball"));
        assertThat(tarball).as("the package phase builds the tarball").exists();
        Run tar = run(new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", unpacked.toString()), 60);
        assertThat(tar.exitCode()).as(tar.output()).isZero();
        try (Stream<Path> top = Files.list(unpacked)) {
            List<Path> dirs = top.toList();
            assertThat(dirs).as("one top directory").hasSize(1);
            home = dirs.get(0);
        }
        assertThat(home.getFileName().toString())
                .isEqualTo(tarball.getFileName().toString().replace(".tar.gz", ""));
    }

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theDistributionHoldsScriptsConfigurationJarsLicenseAndDocs() throws IOException {
        assertThat(home.resolve("bin/herald-server")).isExecutable();
        assertThat(home.resolve("bin/herald")).isExecutable();
        assertThat(home.resolve("bin/herald-run-class")).isExecutable();
        assertThat(home.resolve("config/server.properties")).isRegularFile();
        assertThat(home.resolve("config/logback.xml")).isRegularFile();
        assertThat(home.resolve("LICENSE")).isRegularFile();
        assertThat(home.resolve("docs/user-guide.md")).isRegularFile();
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.matches("herald-server-.*\\.jar"))
                    .anyMatch(n -> n.matches("herald-dist-.*\\.jar"))
                    .anyMatch(n -> n.matches("herald-log-engine-.*\\.jar"))
                    .anyMatch(n -> n.matches("kafka-clients-.*\\.jar"))
                    .anyMatch(n -> n.matches("picocli-.*\\.jar"))
                    .anyMatch(n -> n.matches("logback-classic-.*\\.jar"))
                    .anyMatch(n -> n.matches("herald-admin-console-.*\\.jar"))
                    .anyMatch(n -> n.matches("undertow-core-.*\\.jar"))
                    .anyMatch(n -> n.matches("micrometer-registry-prometheus-.*\\.jar"))
                    .anyMatch(n -> n.matches("jackson-databind-.*\\.jar"))
                    .anyMatch(n -> n.matches("chart\\.js-.*\\.jar"))
                    .noneMatch(n -> n.contains("playwright"))
                    .noneMatch(n -> n.contains("-tests") || n.contains("junit") || n.contains("archunit"));
        }
        Path unpackedByMaven = Path.of(System.getProperty("herald.dist.dir"));
        assertThat(fileNames(unpackedByMaven))
                .as("the unpacked distribution of README's first command has what the tarball has")
                .containsAll(fileNames(home));
    }

    @Test
    void theBrokerServesClientsStopsCleanlyOnSigtermAndKeepsItsDataAcrossARestart() throws Exception {
        Path data = tmp.resolve("data");
        Path logs = tmp.resolve("logs");
        Server server = startServer(
                logs,
                home.resolve("config/server.properties").toString(),
                "--override",
                "listeners=PLAINTEXT://127.0.0.1:0",
                "--override",
                "admin.listeners=http://127.0.0.1:0",
                "--override",
                "log.dirs=" + data,
                "--override",
                "no.such.setting=1");

        assertThat(server.output())
                .anyMatch(l -> l.contains("WARN")
                        && l.contains("unknown configuration keys")
                        && l.contains("no.such.setting"));
        produce(server.bootstrap(), "dist", 100);
        Run consumed = run(
                cli(
                        "consume",
                        "dist",
                        "--from-beginning",
                        "-n",
                        "100",
                        "--timeout",
                        "20000",
                        "--bootstrap-server",
                        server.bootstrap()),
                60);
        assertThat(consumed.exitCode()).as(consumed.output()).isZero();
        assertThat(consumed.stdout())
                .as("the CLI prints records only; logs and the summary go to stderr")
                .isEqualTo(expectedValues(100));

        assertThat(stop(server)).as(String.join("\n", server.output())).isZero();
        assertThat(server.output()).anyMatch(l -> l.contains("Herald shut down cleanly"));
        assertThat(data.resolve(".herald-clean-shutdown")).exists();
        assertThat(Files.readString(logs.resolve("server.log")))
                .contains("is listening on", "Herald shut down cleanly");

        Server restarted = startServer(
                logs,
                "--override",
                "listeners=PLAINTEXT://127.0.0.1:0",
                "--override",
                "admin.listeners=http://127.0.0.1:0",
                "--override",
                "log.dirs=" + data);
        assertThat(consumeAll(restarted.bootstrap(), "dist", 100))
                .extracting(ConsumerRecord::value)
                .containsExactlyElementsOf(List.of(expectedValues(100).split("\n")));
        assertThat(stop(restarted)).isZero();
    }

    @Test
    void theAdminConsoleAnswersWithItsUiApiAndMetrics() throws Exception {
        Server server = startServer(
                tmp.resolve("logs"),
                home.resolve("config/server.properties").toString(),
                "--override",
                "listeners=PLAINTEXT://127.0.0.1:0",
                "--override",
                "admin.listeners=http://127.0.0.1:0",
                "--override",
                "log.dirs=" + tmp.resolve("data"));
        produce(server.bootstrap(), "console", 10);
        int port = server.output().stream()
                .map(CONSOLE::matcher)
                .filter(Matcher::find)
                .mapToInt(m -> Integer.parseInt(m.group(1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no console address in " + server.output()));
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;

        String index = get(http, base + "/");
        assertThat(index).contains("<title>Herald console</title>");
        Matcher chartJs =
                Pattern.compile("src=\"(/webjars/chart\\.js/[^\"]+)\"").matcher(index);
        assertThat(chartJs.find()).isTrue();
        assertThat(get(http, base + chartJs.group(1))).contains("Chart");
        assertThat(get(http, base + "/api/cluster")).contains("\"state\":\"running\"");
        assertThat(get(http, base + "/api/topics")).contains("\"name\":\"console\"");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(get(http, base + "/metrics"))
                        .contains("kafka_server_brokertopicmetrics_messagesin_total{topic=\"console\"} 10.0"));
        assertThat(stop(server)).isZero();
    }

    private static String get(HttpClient http, String uri) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(uri))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(uri).isEqualTo(200);
        return response.body();
    }

    @Test
    void anInvalidValueStopsTheStartWithExitCodeTwoAndTheKeysName() throws Exception {
        Path config = tmp.resolve("server.properties");
        Files.copy(home.resolve("config/server.properties"), config);
        Files.writeString(config, "\nlog.segment.bytes=tiny\n", java.nio.file.StandardOpenOption.APPEND);

        Run result = run(
                server(tmp.resolve("logs"), config.toString(), "--override", "log.dirs=" + tmp.resolve("data")), 60);

        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("Invalid broker configuration").contains("log.segment.bytes");
        assertThat(tmp.resolve("data")).doesNotExist();
    }

    @Test
    void theCliScriptPrintsItsVersionAndExitsWithTwoOnWrongUsage() throws Exception {
        Run version = run(cli("--version"), 60);
        Run wrong = run(cli("topics", "crate"), 60);

        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.stdout()).matches("herald \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.output()).contains("Did you mean");
    }

    // ---- processes ------------------------------------------------------------------------------------------------

    /**
     * A running {@code bin/herald-server} and the file its output goes to (a file, not a pipe: {@link Process#destroy}
     * closes the pipes, and what the broker prints while it stops matters here).
     */
    private record Server(Process process, Path outputFile, int port) {
        String bootstrap() {
            return "127.0.0.1:" + port;
        }

        List<String> output() {
            return lines(outputFile);
        }
    }

    private Server startServer(Path logs, String... args) throws IOException {
        Path outputFile = Files.createTempFile(tmp, "herald-server", ".out");
        Process process = server(logs, args)
                .redirectErrorStream(true)
                .redirectOutput(outputFile.toFile())
                .start();
        processes.add(process);
        int[] port = new int[1];
        await().atMost(START_TIMEOUT).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("herald-server exited with " + process.exitValue() + ":\n"
                        + String.join("\n", lines(outputFile)));
            }
            Optional<Matcher> listening = lines(outputFile).stream()
                    .map(LISTENING::matcher)
                    .filter(Matcher::find)
                    .findFirst();
            listening.ifPresent(m -> port[0] = Integer.parseInt(m.group(1)));
            return listening.isPresent();
        });
        return new Server(process, outputFile, port[0]);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sends SIGTERM (what {@link Process#destroy} does on POSIX) and returns the exit code. */
    private static int stop(Server server) throws InterruptedException {
        server.process().destroy();
        assertThat(server.process().waitFor(60, TimeUnit.SECONDS))
                .as("stopped after SIGTERM")
                .isTrue();
        return server.process().exitValue();
    }

    private ProcessBuilder server(Path logs, String... args) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/herald-server").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        environment(pb).put("HERALD_LOG_DIR", logs.toString());
        pb.environment().put("HERALD_HEAP_OPTS", "-Xmx256m");
        return pb;
    }

    private ProcessBuilder cli(String... args) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/herald").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        environment(pb).put("HERALD_HEAP_OPTS", "-Xmx128m");
        return pb;
    }

    private static Map<String, String> environment(ProcessBuilder pb) {
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.remove("HERALD_OPTS");
        env.remove("HERALD_LOG_CONFIG");
        return env;
    }

    /** A finished process: exit code, standard output, and both streams together. */
    private record Run(int exitCode, String stdout, String output) {}

    private static Run run(ProcessBuilder pb, int timeoutSeconds) throws Exception {
        Path err = Files.createTempFile("herald-it", ".err");
        try {
            Process p = pb.redirectError(err.toFile()).start();
            p.getOutputStream().close();
            StringBuilder out = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    out.append("(reading failed: ").append(e).append(')');
                }
            });
            reader.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("timed out: " + pb.command());
            }
            reader.join(30_000);
            String stdout = out.toString();
            return new Run(p.exitValue(), stdout, stdout + Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    // ---- clients --------------------------------------------------------------------------------------------------

    private static String expectedValues(int count) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < count; i++) {
            s.append("value-").append(i).append('\n');
        }
        return s.toString();
    }

    private static void produce(String bootstrap, String topic, int count) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("acks", "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "key-" + i, "value-" + i));
            }
            producer.flush();
        }
    }

    private static List<ConsumerRecord<String, String>> consumeAll(String bootstrap, String topic, int expected) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static List<String> fileNames(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(f -> root.relativize(f).toString())
                    .sorted()
                    .toList();
        }
    }
}
