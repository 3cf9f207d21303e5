package io.herald.security.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {

    @TempDir
    Path dir;

    @Test
    void credentialsSurviveReopeningAndNeverHoldThePassword() throws IOException {
        Path file = dir.resolve("scram-credentials");
        CredentialStore store = CredentialStore.open(file);
        store.put("alice", ScramCredential.fromPassword(ScramMechanism.SCRAM_SHA_256, "pw-256", 4096));
        store.put("alice", ScramCredential.fromPassword(ScramMechanism.SCRAM_SHA_512, "pw-512", 8192));
        store.put("b ob,=x", ScramCredential.fromPassword(ScramMechanism.SCRAM_SHA_512, "other", 4096));

        CredentialStore reopened = CredentialStore.open(file);

        assertThat(reopened.all()).containsOnlyKeys("alice", "b ob,=x");
        assertThat(reopened.credential("alice", ScramMechanism.SCRAM_SHA_512)).hasValueSatisfying(c -> {
            assertThat(c.iterations()).isEqualTo(8192);
            assertThat(c.matchesPassword("pw-512")).isTrue();
            assertThat(c.matchesPassword("pw-256")).isFalse();
        });
        assertThat(Files.readString(file)).doesNotContain("pw-256", "pw-512", "other");
    }

    @Test
    void deleteRemovesOneMechanismThenTheUser() throws IOException {
        CredentialStore store = CredentialStore.open(dir.resolve("c"));
        store.put("alice", ScramCredential.fromPassword(ScramMechanism.SCRAM_SHA_256, "a", 4096));
        store.put("alice", ScramCredential.fromPassword(ScramMechanism.SCRAM_SHA_512, "a", 4096));

        assertThat(store.delete("alice", ScramMechanism.SCRAM_SHA_256)).isTrue();
        assertThat(store.delete("alice", ScramMechanism.SCRAM_SHA_256)).isFalse();
        assertThat(store.all()).containsOnlyKeys("alice");
        assertThat(store.delete("alice", ScramMechanism.SCRAM_SHA_512)).isTrue();
        assertThat(CredentialStore.open(dir.resolve("c")).all()).isEmpty();
    }

    @Test
    void damagedFileIsRefusedWithItsLine() throws IOException {
        Path file = dir.resolve("c");
        CredentialStore.open(file).put("alice", ScramCredential.fromPassword(ScramMechanism.SCRAM_SHA_256, "a", 4096));
        Files.writeString(file, "garbage here\n", java.nio.file.StandardOpenOption.APPEND);

        assertThatThrownBy(() -> CredentialStore.open(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("damaged at line 2");
    }

    @Test
    void weakIterationCountsAreRefused() {
        assertThatThrownBy(() -> ScramCredential.fromPassword(ScramMechanism.SCRAM_SHA_256, "a", 1000))
                .hasMessageContaining("between 4096 and 16384");
    }
}
