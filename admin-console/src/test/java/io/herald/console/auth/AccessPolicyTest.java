package io.herald.console.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.util.Methods;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AccessPolicyTest {

    @Test
    void usersAndAclsNeedAnAdminChangesAnOperatorAndReadsAViewer() {
        assertThat(AccessPolicy.required(Methods.GET, "/api/security/users")).isEqualTo(Role.ADMIN);
        assertThat(AccessPolicy.required(Methods.POST, "/api/security/acls/remove"))
                .isEqualTo(Role.ADMIN);
        assertThat(AccessPolicy.required(Methods.GET, "/api/security")).isEqualTo(Role.VIEWER);
        assertThat(AccessPolicy.required(Methods.DELETE, "/api/topics/orders")).isEqualTo(Role.OPERATOR);
        assertThat(AccessPolicy.required(Methods.PATCH, "/api/topics/orders/configs"))
                .isEqualTo(Role.OPERATOR);
        assertThat(AccessPolicy.required(Methods.GET, "/metrics")).isEqualTo(Role.VIEWER);
    }

    @Test
    void onlyTheSessionEndpointAndTheUiFilesAreOpen() {
        assertThat(AccessPolicy.isOpen("/api/session")).isTrue();
        assertThat(AccessPolicy.isOpen("/")).isTrue();
        assertThat(AccessPolicy.isOpen("/app.js")).isTrue();
        assertThat(AccessPolicy.isOpen("/api")).isFalse();
        assertThat(AccessPolicy.isOpen("/api/topics")).isFalse();
        assertThat(AccessPolicy.isOpen("/metrics")).isFalse();
    }

    @Test
    void requestsOnAResourceNeedWhatKafkaWouldAskOnIt() {
        assertThat(AccessPolicy.resourceChecks(Methods.GET, "/api/topics/orders/partitions/0/messages"))
                .containsExactly(new AccessPolicy.ResourceCheck(AclOperation.READ, ResourceType.TOPIC, "orders"));
        assertThat(AccessPolicy.resourceChecks(Methods.DELETE, "/api/groups/billing"))
                .containsExactly(new AccessPolicy.ResourceCheck(AclOperation.DELETE, ResourceType.GROUP, "billing"));
        assertThat(AccessPolicy.resourceChecks(Methods.POST, "/api/jms/queues/payments/dlq/retry"))
                .containsExactly(
                        new AccessPolicy.ResourceCheck(AclOperation.WRITE, ResourceType.TOPIC, "payments"),
                        new AccessPolicy.ResourceCheck(AclOperation.READ, ResourceType.TOPIC, "DLQ.payments"),
                        new AccessPolicy.ResourceCheck(AclOperation.DELETE, ResourceType.TOPIC, "DLQ.payments"));
        assertThat(AccessPolicy.resourceChecks(Methods.GET, "/api/topics/orders"))
                .isEmpty();
    }
}
