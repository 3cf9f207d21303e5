package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security endpoints against a real broker with ACLs enforced, checked with the Kafka Admin client: SCRAM users
 * set and deleted, ACLs added and removed, refusals in words; and a broker without security saying so.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecurityApiTest {

    private static final String ACL =
            "{\"principal\": \"User:alice\", \"resourceType\": \"TOPIC\", \"resourceName\": \"orders\","
                    + " \"operation\": \"READ\"}";

    @TempDir
    Path dir;

    @Test
    void usersAndAclsAreManagedAsKafkasAdminClientSeesThem() throws Exception {
        try (ConsoleBroker broker = ConsoleBroker.start(
                        dir,
                        Map.of(
                                "authorizer.class.name", "io.herald.security.acl.AclAuthorizer",
                                "super.users", "User:ANONYMOUS;User:root"));
                Admin kafka = Admin.create(broker.clientProperties())) {
            // With security on the console needs a login: a super user made with Kafka's Admin client.
            kafka.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            "root", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "pw-root")))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            ConsoleClient console = new ConsoleClient(broker.base());
            assertThat(console.login("root", "pw-root").status()).isEqualTo(200);
            JsonNode status = console.get("/api/security").json();
            assertThat(status.get("available").asBoolean()).isTrue();
            assertThat(status.at("/status/authorizer").asBoolean()).isTrue();
            assertThat(status.at("/status/listeners").toString()).contains("PLAINTEXT:PLAINTEXT");

            ConsoleBroker.Response user = console.post(
                    "/api/security/users",
                    "{\"name\": \"alice\", \"password\": \"s3cret\", \"mechanism\": \"SCRAM-SHA-256\"}");
            assertThat(user.status()).as(user.text()).isEqualTo(201);
            assertThat(user.json().get("mechanisms").toString()).isEqualTo("[\"SCRAM-SHA-256\"]");
            assertThat(kafka.describeUserScramCredentials().all().get(30, TimeUnit.SECONDS))
                    .containsKey("alice");
            assertThat(console.post("/api/security/users", "{\"name\": \"bob\", \"password\": \"\"}")
                            .errorMessage())
                    .contains("password");

            ConsoleBroker.Response added = console.post("/api/security/acls", ACL);
            assertThat(added.status()).as(added.text()).isEqualTo(201);
            assertThat(console.get("/api/security/acls")
                            .json()
                            .get(0)
                            .get("principal")
                            .asText())
                    .isEqualTo("User:alice");
            assertThat(kafka.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS))
                    .extracting(AclBinding::toString)
                    .anyMatch(b -> b.contains("User:alice") && b.contains("orders") && b.contains("READ"));

            ConsoleBroker.Response badOperation = console.post("/api/security/acls", ACL.replace("READ", "PEEK"));
            assertThat(badOperation.status()).isEqualTo(400);
            assertThat(badOperation.errorMessage()).contains("'PEEK' is not a operation");
            assertThat(console.post("/api/security/acls", ACL.replace("User:alice", "alice"))
                            .errorMessage())
                    .contains("User:alice");

            assertThat(console.post("/api/security/acls/remove", ACL).status()).isEqualTo(204);
            assertThat(console.post("/api/security/acls/remove", ACL).status()).isEqualTo(404);
            assertThat(console.get("/api/security/acls").json().size()).isZero();

            assertThat(console.delete("/api/security/users/alice").status()).isEqualTo(400);
            assertThat(console.delete("/api/security/users/alice?confirm=alice").status())
                    .isEqualTo(204);
            assertThat(console.delete("/api/security/users/alice?confirm=alice").status())
                    .isEqualTo(404);
        }
    }

    @Test
    void aBrokerWithoutSecuritySaysSoAndRefusesAcls() throws Exception {
        try (ConsoleBroker console = ConsoleBroker.start(dir)) {
            JsonNode status = console.get("/api/security").json();
            assertThat(status.get("available").asBoolean()).isFalse();
            assertThat(status.get("reason").asText()).contains("Security is not enabled");

            ConsoleBroker.Response refused = console.post("/api/security/acls", ACL);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.errorMessage()).contains("authorizer.class.name");
        }
    }
}
