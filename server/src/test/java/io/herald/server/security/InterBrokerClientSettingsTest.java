package io.herald.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.server.config.BrokerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterBrokerClientSettingsTest {

    @Test
    void aTlsListenerGivesItsClientKeysWithTheListenersOwnFirstAndNoServerOnlyKeys() {
        BrokerConfig config = BrokerConfig.parse(Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:0,INTERNAL://127.0.0.1:0",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:SSL",
                "ssl.truststore.location", "/etc/herald/ca.p12",
                "ssl.client.auth", "required",
                "listener.name.internal.ssl.keystore.location", "/etc/herald/internal.p12"));

        Map<String, Object> client = InterBrokerClientSettings.of(config, "INTERNAL");

        assertThat(client)
                .containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.truststore.location", "/etc/herald/ca.p12")
                .containsEntry("ssl.keystore.location", "/etc/herald/internal.p12")
                .doesNotContainKey("ssl.client.auth")
                .doesNotContainKey("sasl.jaas.config");
        assertThat(InterBrokerClientSettings.of(config, "PLAINTEXT")).containsOnlyKeys("security.protocol");
    }

    @Test
    void aSaslListenerTakesTheMechanismAndItsJaasConfigAndRefusesToStartWithout() {
        Map<String, String> base = Map.of(
                "listeners", "SASL_PLAINTEXT://127.0.0.1:0",
                "sasl.mechanism.inter.broker.protocol", "PLAIN");
        assertThatThrownBy(() -> InterBrokerClientSettings.of(BrokerConfig.parse(base), "SASL_PLAINTEXT"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listener.name.sasl_plaintext.plain.sasl.jaas.config");

        Map<String, String> withJaas = new java.util.HashMap<>(base);
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"b\" password=\"p\";";
        withJaas.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas);
        BrokerConfig config = BrokerConfig.parse(withJaas);

        assertThat(config.unknownKeys()).isEmpty();
        assertThat(InterBrokerClientSettings.of(config, "SASL_PLAINTEXT"))
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("sasl.jaas.config", jaas);
    }
}
