package io.herald.security.acl;

import static org.apache.kafka.common.acl.AclOperation.ALL;
import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.acl.AclPermissionType.ALLOW;
import static org.apache.kafka.common.acl.AclPermissionType.DENY;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.CLUSTER;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AclAuthorizerTest {

    private static final KafkaPrincipal ALICE = new KafkaPrincipal("User", "alice");
    private static final KafkaPrincipal BOB = new KafkaPrincipal("User", "bob");
    private static final KafkaPrincipal ADMIN = new KafkaPrincipal("User", "admin");

    @TempDir
    Path dir;

    @Test
    void nothingIsAllowedWithoutAnAclUnlessConfigured() throws IOException {
        assertThat(open(false).authorize(ALICE, "10.0.0.1", READ, TOPIC, "t")).isFalse();
        assertThat(AclAuthorizer.open(dir.resolve("other"), Set.of(), true).authorize(ALICE, "h", READ, TOPIC, "t"))
                .isTrue();
    }

    @Test
    void superUsersMayDoAnything() throws IOException {
        AclAuthorizer a = open(false);
        a.create(List.of(acl(TOPIC, "t", LITERAL, "User:admin", "*", ALL, DENY)));
        assertThat(a.authorize(ADMIN, "h", WRITE, TOPIC, "t")).isTrue();
    }

    @Test
    void literalPrefixedAndWildcardPatterns() throws IOException {
        AclAuthorizer a = open(false);
        a.create(List.of(
                acl(TOPIC, "orders", LITERAL, "User:alice", "*", READ, ALLOW),
                acl(TOPIC, "pay-", PREFIXED, "User:alice", "*", WRITE, ALLOW),
                acl(GROUP, "*", LITERAL, "User:*", "*", READ, ALLOW)));

        assertThat(a.authorize(ALICE, "h", READ, TOPIC, "orders")).isTrue();
        assertThat(a.authorize(ALICE, "h", READ, TOPIC, "orders2")).isFalse();
        assertThat(a.authorize(ALICE, "h", WRITE, TOPIC, "pay-eu")).isTrue();
        assertThat(a.authorize(ALICE, "h", WRITE, TOPIC, "pa")).isFalse();
        assertThat(a.authorize(BOB, "h", READ, GROUP, "any-group")).isTrue();
        assertThat(a.authorize(BOB, "h", READ, TOPIC, "orders")).isFalse();
    }

    @Test
    void denyWinsAndHostsMatter() throws IOException {
        AclAuthorizer a = open(false);
        a.create(List.of(
                acl(TOPIC, "*", LITERAL, "User:alice", "*", ALL, ALLOW),
                acl(TOPIC, "secret", LITERAL, "User:alice", "*", READ, DENY),
                acl(TOPIC, "local", LITERAL, "User:bob", "127.0.0.1", WRITE, ALLOW)));

        assertThat(a.authorize(ALICE, "h", READ, TOPIC, "public")).isTrue();
        assertThat(a.authorize(ALICE, "h", READ, TOPIC, "secret")).isFalse();
        assertThat(a.authorize(ALICE, "h", WRITE, TOPIC, "secret")).isTrue();
        assertThat(a.authorize(BOB, "127.0.0.1", WRITE, TOPIC, "local")).isTrue();
        assertThat(a.authorize(BOB, "10.1.1.1", WRITE, TOPIC, "local")).isFalse();
    }

    @Test
    void impliedOperationsAsInKafka() throws IOException {
        AclAuthorizer a = open(false);
        a.create(List.of(
                acl(TOPIC, "t", LITERAL, "User:alice", "*", WRITE, ALLOW),
                acl(TOPIC, "t", LITERAL, "User:alice", "*", ALTER_CONFIGS, ALLOW)));

        assertThat(a.authorize(ALICE, "h", DESCRIBE, TOPIC, "t")).isTrue();
        assertThat(a.authorize(ALICE, "h", DESCRIBE_CONFIGS, TOPIC, "t")).isTrue();
        assertThat(a.authorize(ALICE, "h", READ, TOPIC, "t")).isFalse();
    }

    @Test
    void authorizeAnyFindsOneAllowedResourceOfTheType() throws IOException {
        AclAuthorizer a = open(false);
        assertThat(a.authorizeAny(ALICE, "h", WRITE, TOPIC)).isFalse();
        a.create(List.of(acl(TOPIC, "in-", PREFIXED, "User:alice", "*", WRITE, ALLOW)));
        assertThat(a.authorizeAny(ALICE, "h", WRITE, TOPIC)).isTrue();
        a.create(List.of(acl(TOPIC, "*", LITERAL, "User:alice", "*", WRITE, DENY)));
        assertThat(a.authorizeAny(ALICE, "h", WRITE, TOPIC)).isFalse();
    }

    @Test
    void invalidBindingsAreRefusedOneByOne() throws IOException {
        AclAuthorizer a = open(false);
        List<Optional<String>> results = a.create(List.of(
                acl(TOPIC, "ok", LITERAL, "User:alice", "*", READ, ALLOW),
                acl(CLUSTER, "my-cluster", LITERAL, "User:alice", "*", ALL, ALLOW),
                acl(TOPIC, "t", LITERAL, "alice", "*", READ, ALLOW),
                acl(TOPIC, "t", PatternType.UNKNOWN, "User:alice", "*", READ, ALLOW)));

        assertThat(results.get(0)).isEmpty();
        assertThat(results.get(1)).hasValueSatisfying(m -> assertThat(m).contains("kafka-cluster"));
        assertThat(results.get(2)).hasValueSatisfying(m -> assertThat(m).contains("Type:name"));
        assertThat(results.get(3)).hasValueSatisfying(m -> assertThat(m).contains("LITERAL or PREFIXED"));
        assertThat(a.describe(AclBindingFilter.ANY)).hasSize(1);
    }

    @Test
    void bindingsPersistAndDeleteByFilter() throws IOException {
        AclAuthorizer a = open(false);
        a.create(List.of(
                acl(TOPIC, "a", LITERAL, "User:alice", "*", READ, ALLOW),
                acl(TOPIC, "b", PREFIXED, "User:alice", "*", READ, ALLOW),
                acl(GROUP, "g", LITERAL, "User:bob", "*", READ, ALLOW)));

        List<List<AclBinding>> removed = a.delete(List.of(new AclBindingFilter(
                new org.apache.kafka.common.resource.ResourcePatternFilter(TOPIC, null, PatternType.ANY),
                new org.apache.kafka.common.acl.AccessControlEntryFilter(
                        "User:alice", null, AclOperation.ANY, AclPermissionType.ANY))));

        assertThat(removed.get(0)).hasSize(2);
        AclAuthorizer reopened = open(false);
        assertThat(reopened.describe(AclBindingFilter.ANY))
                .singleElement()
                .satisfies(b -> assertThat(b.pattern().resourceType()).isEqualTo(GROUP));
    }

    @Test
    void damagedAclFileIsRefused() throws IOException {
        Files.writeString(dir.resolve("acls"), "TOPIC LITERAL x\n");
        assertThatThrownBy(() -> open(false)).isInstanceOf(IOException.class).hasMessageContaining("line 1");
    }

    private AclAuthorizer open(boolean allowIfNoAcl) throws IOException {
        return AclAuthorizer.open(dir.resolve("acls"), Set.of(ADMIN), allowIfNoAcl);
    }

    private static AclBinding acl(
            ResourceType type,
            String name,
            PatternType pattern,
            String principal,
            String host,
            AclOperation op,
            AclPermissionType permission) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern), new AccessControlEntry(principal, host, op, permission));
    }
}
