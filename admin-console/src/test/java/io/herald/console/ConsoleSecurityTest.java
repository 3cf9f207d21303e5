package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The console's login against a real broker with ACLs enforced: users and ACLs are made with Kafka's Admin client, as
 * an operator would, and the console is driven over HTTP (and HTTPS) like a browser: 401 without a session, logins
 * with good and bad passwords (the bad ones audited), CSRF and origin checks, the roles the ACLs give.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsoleSecurityTest {

    private static final String TOPIC = "{\"name\": \"%s\", \"partitions\": 1}";

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> audit = new ListAppender<>();

    @BeforeEach
    void captureAudit() {
        audit.start();
        ((Logger) LoggerFactory.getLogger("herald.audit")).addAppender(audit);
    }

    @AfterEach
    void stopCapture() {
        ((Logger) LoggerFactory.getLogger("herald.audit")).detachAppender(audit);
    }

    private static Map<String, String> secured(String adminListeners) {
        return Map.of(
                "admin.listeners", adminListeners,
                "authorizer.class.name", "io.herald.security.acl.AclAuthorizer",
                // the tests' Kafka clients connect on PLAINTEXT as ANONYMOUS to set up users and ACLs
                "super.users", "User:ANONYMOUS;User:root");
    }

    /** Users root (super user), viewer (DESCRIBE on every topic) and nobody (no ACL), all with password "pw-<name>". */
    private static void users(ConsoleBroker console) throws Exception {
        try (Admin kafka = Admin.create(console.clientProperties())) {
            kafka.alterUserScramCredentials(
                            List.of(upsert("root"), upsert("viewer"), upsert("nobody"), upsert("operator")))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            kafka.createAcls(List.of(
                            acl("viewer", ResourceType.TOPIC, "*", AclOperation.DESCRIBE),
                            acl("operator", ResourceType.TOPIC, "orders", AclOperation.WRITE),
                            acl("operator", ResourceType.TOPIC, "orders", AclOperation.READ)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static UserScramCredentialUpsertion upsert(String user) {
        return new UserScramCredentialUpsertion(
                user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "pw-" + user);
    }

    private static AclBinding acl(String user, ResourceType type, String name, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW));
    }

    @Test
    void theApiNeedsALoginAndAWrongPasswordIsRefusedAndAudited() throws Exception {
        try (ConsoleBroker console = ConsoleBroker.start(dir, secured("http://127.0.0.1:0"))) {
            users(console);
            ConsoleClient browser = new ConsoleClient(console.base());

            ConsoleBroker.Response anonymous = browser.get("/api/topics");
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.errorCode()).isEqualTo("UNAUTHENTICATED");
            assertThat(browser.get("/metrics").status()).isEqualTo(401);
            assertThat(browser.get("/api/session").json().get("securityEnabled").asBoolean())
                    .isTrue();
            assertThat(browser.get("/").status())
                    .as("the UI's page itself is open")
                    .isEqualTo(200);

            ConsoleBroker.Response wrong = browser.login("viewer", "not-the-password");
            ConsoleBroker.Response unknown = browser.login("mallory", "pw-viewer");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(unknown.status()).isEqualTo(401);
            assertThat(wrong.errorMessage()).isEqualTo(unknown.errorMessage());
            assertThat(audit.list)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .anyMatch(m -> m.startsWith("CONSOLE_LOGIN_FAILED")
                            && m.contains("principal=User:viewer")
                            && m.contains("client=127.0.0.1")
                            && m.contains("wrong password"))
                    .anyMatch(m -> m.contains("principal=User:mallory") && m.contains("unknown user"))
                    .noneMatch(m -> m.contains("not-the-password"));
            assertThat(browser.get("/api/topics").status()).isEqualTo(401);

            ConsoleBroker.Response ok = browser.login("viewer", "pw-viewer");
            assertThat(ok.status()).as(ok.text()).isEqualTo(200);
            assertThat(ok.json().get("role").asText()).isEqualTo("VIEWER");
            assertThat(browser.lastSetCookie())
                    .startsWith("herald_session=")
                    .containsIgnoringCase("HttpOnly")
                    .containsIgnoringCase("SameSite=Strict")
                    .doesNotContainIgnoringCase("Secure;");
            assertThat(browser.get("/api/topics").status()).isEqualTo(200);
            assertThat(browser.get("/api/session").json().get("user").asText()).isEqualTo("viewer");

            assertThat(browser.send("DELETE", "/api/session", null, Map.of()).status())
                    .as("a logout without the CSRF token")
                    .isEqualTo(403);
            assertThat(browser.delete("/api/session").status()).isEqualTo(204);
            assertThat(browser.get("/api/topics").status()).isEqualTo(401);

            ConsoleBroker.Response nobody = browser.login("nobody", "pw-nobody");
            assertThat(nobody.status()).isEqualTo(403);
            assertThat(nobody.errorMessage()).contains("no role");
        }
    }

    @Test
    void anAddressWithTooManyFailedLoginsWaitsEvenWithTheRightPassword() throws Exception {
        try (ConsoleBroker console = ConsoleBroker.start(dir, secured("http://127.0.0.1:0"))) {
            users(console);
            ConsoleClient browser = new ConsoleClient(console.base());
            for (int i = 0; i < 5; i++) {
                assertThat(browser.login("root", "guess-" + i).status()).isEqualTo(401);
            }
            ConsoleBroker.Response refused = browser.login("root", "pw-root");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.errorMessage()).contains("Too many failed logins");
        }
    }

    @Test
    void changesNeedTheCsrfTokenAndTheConsolesOwnOrigin() throws Exception {
        try (ConsoleBroker console = ConsoleBroker.start(dir, secured("http://127.0.0.1:0"))) {
            users(console);
            ConsoleClient browser = new ConsoleClient(console.base());
            assertThat(browser.login("root", "pw-root").json().get("role").asText())
                    .isEqualTo("ADMIN");

            ConsoleBroker.Response noToken = browser.send("POST", "/api/topics", TOPIC.formatted("orders"), Map.of());
            assertThat(noToken.status()).isEqualTo(403);
            assertThat(noToken.errorCode()).isEqualTo("CSRF_TOKEN_MISSING");
            ConsoleBroker.Response wrongToken =
                    browser.send("POST", "/api/topics", TOPIC.formatted("orders"), Map.of("X-Herald-CSRF", "guess"));
            assertThat(wrongToken.status()).isEqualTo(403);

            Map<String, String> elsewhere = new java.util.HashMap<>(browser.csrfHeader());
            elsewhere.put("Origin", "http://evil.example");
            ConsoleBroker.Response crossSite =
                    browser.send("POST", "/api/topics", TOPIC.formatted("orders"), elsewhere);
            assertThat(crossSite.status()).isEqualTo(403);
            assertThat(crossSite.errorCode()).isEqualTo("CROSS_ORIGIN");

            Map<String, String> sameSite = new java.util.HashMap<>(browser.csrfHeader());
            sameSite.put("Origin", "http://127.0.0.1:" + console.base().getPort());
            ConsoleBroker.Response created = browser.send("POST", "/api/topics", TOPIC.formatted("orders"), sameSite);
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            assertThat(browser.get("/api/topics/orders").status()).isEqualTo(200);
        }
    }

    @Test
    void theAclsGiveTheRoles() throws Exception {
        try (ConsoleBroker console = ConsoleBroker.start(dir, secured("http://127.0.0.1:0"))) {
            users(console);
            ConsoleClient admin = new ConsoleClient(console.base());
            admin.login("root", "pw-root");
            assertThat(admin.post("/api/topics", TOPIC.formatted("orders")).status())
                    .isEqualTo(201);
            assertThat(admin.post("/api/topics", TOPIC.formatted("doomed")).status())
                    .isEqualTo(201);
            assertThat(admin.post("/api/topics/orders/messages", "{\"value\": \"hello\"}")
                            .status())
                    .isEqualTo(201);

            ConsoleClient viewer = new ConsoleClient(console.base());
            viewer.login("viewer", "pw-viewer");
            ConsoleBroker.Response refused = viewer.delete("/api/topics/doomed?confirm=doomed");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.errorMessage()).contains("viewer").contains("operator");
            assertThat(audit.list)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .anyMatch(m -> m.startsWith("DENIED principal=User:viewer client=127.0.0.1 operation=DELETE"));
            assertThat(viewer.get("/api/topics/orders/partitions/0/messages").status())
                    .as("DESCRIBE does not show the records: that needs READ")
                    .isEqualTo(403);
            assertThat(viewer.get("/api/security/users").status()).isEqualTo(403);
            assertThat(viewer.get("/api/topics").json().toString()).contains("doomed");

            ConsoleClient operator = new ConsoleClient(console.base());
            assertThat(operator.login("operator", "pw-operator")
                            .json()
                            .get("role")
                            .asText())
                    .isEqualTo("OPERATOR");
            assertThat(operator.get("/api/topics/orders/partitions/0/messages")
                            .json()
                            .at("/messages/0/value/text")
                            .asText())
                    .isEqualTo("hello");
            assertThat(operator.post("/api/security/users", "{\"name\": \"x\", \"password\": \"y\"}")
                            .status())
                    .isEqualTo(403);
            assertThat(operator.post("/api/topics/orders/messages", "{\"value\": \"more\"}")
                            .status())
                    .isEqualTo(201);
            ConsoleBroker.Response notItsTopic = operator.post("/api/topics/doomed/messages", "{\"value\": \"x\"}");
            assertThat(notItsTopic.status())
                    .as("an operator changes only what its ACLs allow on that resource")
                    .isEqualTo(403);
            assertThat(notItsTopic.errorMessage()).contains("WRITE on TOPIC 'doomed'");
            assertThat(operator.delete("/api/topics/orders?confirm=orders").status())
                    .as("WRITE is not DELETE")
                    .isEqualTo(403);

            assertThat(admin.delete("/api/topics/doomed?confirm=doomed").status())
                    .isEqualTo(204);
            assertThat(admin.get("/api/security/users").status()).isEqualTo(200);

            String basic = "Basic " + Base64.getEncoder().encodeToString("viewer:pw-viewer".getBytes());
            assertThat(viewer.send("GET", "/metrics", null, Map.of()).status()).isEqualTo(200);
            ConsoleClient prometheus = new ConsoleClient(console.base());
            assertThat(prometheus
                            .send("GET", "/metrics", null, Map.of("Authorization", basic))
                            .status())
                    .isEqualTo(200);
            assertThat(prometheus
                            .send("GET", "/metrics", null, Map.of("Authorization", "Basic dmlld2VyOnd"))
                            .status())
                    .isEqualTo(401);
        }
    }

    @Test
    void httpsServesTheConsoleWithTheDevelopmentCertificatesAndASecureCookie() throws Exception {
        try (ConsoleBroker console = ConsoleBroker.start(dir, secured("https://127.0.0.1:0"))) {
            users(console);
            URI base = URI.create("https://127.0.0.1:" + console.base().getPort());
            ConsoleClient browser = new ConsoleClient(base, trusting(dir.resolve(".dev-certificates/ca.crt")));

            assertThat(browser.get("/api/topics").status()).isEqualTo(401);
            ConsoleBroker.Response ok = browser.login("root", "pw-root");
            assertThat(ok.status()).as(ok.text()).isEqualTo(200);
            assertThat(browser.lastSetCookie()).containsIgnoringCase("Secure");
            assertThat(browser.get("/api/cluster").status()).isEqualTo(200);

            ConsoleClient untrusting = new ConsoleClient(base);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> untrusting.get("/api/session"))
                    .hasStackTraceContaining("PKIX");
        }
    }

    /** A TLS client context that trusts exactly the CA in {@code caFile}. */
    static SSLContext trusting(Path caFile) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            trust.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
