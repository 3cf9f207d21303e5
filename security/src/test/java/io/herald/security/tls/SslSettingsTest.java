package io.herald.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.security.tls.SslSettings.ClientAuth;
import io.herald.security.tls.SslSettings.StoreType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SslSettingsTest {

    @Test
    void defaultsAreKafkas() {
        SslSettings settings = SslSettings.parse(Map.of());

        assertThat(settings.enabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(settings.protocol()).isEqualTo("TLSv1.3");
        assertThat(settings.clientAuth()).isEqualTo(ClientAuth.NONE);
        assertThat(settings.keystore().type()).isEqualTo(StoreType.JKS);
        assertThat(settings.keystore().isPresent()).isFalse();
        assertThat(settings.truststore().isPresent()).isFalse();
        assertThat(settings.endpointIdentificationAlgorithm()).isEqualTo("https");
        assertThat(settings.principalMappingRules()).isEqualTo("DEFAULT");
        assertThat(settings.cipherSuites()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.1", "TLSv1", "SSLv3", "TLSv1.3,TLSv1.1"})
    void protocolsOlderThanTls12AreRefusedWithAClearError(String protocols) {
        assertThatThrownBy(() -> SslSettings.parse(Map.of("ssl.enabled.protocols", protocols)))
                .isInstanceOf(SslConfigException.class)
                .hasMessageContaining("ssl.enabled.protocols")
                .hasMessageContaining("only TLSv1.3 and TLSv1.2");
    }

    @Test
    void anOldSslProtocolIsRefused() {
        assertThatThrownBy(() -> SslSettings.parse(Map.of("ssl.protocol", "TLSv1.1")))
                .isInstanceOf(SslConfigException.class)
                .hasMessageContaining("ssl.protocol=TLSv1.1");
    }

    @Test
    void listsMayBeStringsOrCollections() {
        assertThat(SslSettings.parse(Map.of("ssl.enabled.protocols", " TLSv1.2 "))
                        .enabledProtocols())
                .containsExactly("TLSv1.2");
        assertThat(SslSettings.parse(Map.of("ssl.cipher.suites", List.of("TLS_AES_128_GCM_SHA256")))
                        .cipherSuites())
                .containsExactly("TLS_AES_128_GCM_SHA256");
    }

    @Test
    void clientAuthAndStoreTypesAreCaseInsensitive() {
        SslSettings settings = SslSettings.parse(Map.of(
                "ssl.client.auth", "Required",
                "ssl.keystore.type", "pem",
                "ssl.keystore.location", "/k.pem",
                "ssl.truststore.type", "jks"));

        assertThat(settings.clientAuth()).isEqualTo(ClientAuth.REQUIRED);
        assertThat(settings.keystore().type()).isEqualTo(StoreType.PEM);
        assertThat(settings.truststore().type()).isEqualTo(StoreType.JKS);
        assertThat(settings.files()).containsExactly(Path.of("/k.pem"));
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> SslSettings.parse(Map.of("ssl.client.auth", "sometimes")))
                .hasMessageContaining("ssl.client.auth");
        assertThatThrownBy(() -> SslSettings.parse(Map.of("ssl.keystore.type", "BKS")))
                .hasMessageContaining("ssl.keystore.type=BKS");
        assertThatThrownBy(() -> SslSettings.parse(Map.of("ssl.keystore.location", "/k.p12")))
                .hasMessageContaining("ssl.keystore.password is required");
        assertThatThrownBy(() -> SslSettings.parse(Map.of("ssl.keystore.key", "-----BEGIN")))
                .hasMessageContaining("go together");
        assertThatThrownBy(
                        () -> SslSettings.parse(Map.of("ssl.keystore.key", "k", "ssl.keystore.certificate.chain", "c")))
                .hasMessageContaining("ssl.keystore.type=PEM");
        assertThatThrownBy(() -> SslSettings.parse(Map.of(
                        "ssl.truststore.type", "PEM",
                        "ssl.truststore.location", "/t.pem",
                        "ssl.truststore.certificates", "x")))
                .hasMessageContaining("not both");
    }

    @Test
    void anEmptyEndpointIdentificationAlgorithmDisablesTheCheck() {
        assertThat(SslSettings.parse(Map.of("ssl.endpoint.identification.algorithm", ""))
                        .endpointIdentificationAlgorithm())
                .isEmpty();
    }

    @Test
    void listenerPrefixedKeysOverrideThePlainOnes() {
        SslSettings settings = SslSettings.forListener(
                Map.of(
                        "ssl.client.auth", "none",
                        "listener.name.internal.ssl.client.auth", "required",
                        "listener.name.external.ssl.client.auth", "requested"),
                "INTERNAL");

        assertThat(settings.clientAuth()).isEqualTo(ClientAuth.REQUIRED);
    }

    @Test
    void secretsAreHiddenWhenTheSettingsAreLogged() {
        SslSettings settings = SslSettings.parse(Map.of(
                "ssl.keystore.location", "/k.p12", "ssl.keystore.password", "hunter2", "ssl.key.password", "k3y"));

        assertThat(settings.toString()).doesNotContain("hunter2").doesNotContain("k3y");
        assertThat(settings.keystore().password().orElseThrow().value()).isEqualTo("hunter2");
    }

    @Test
    void everyKeyIsListedOnce() {
        assertThat(SslSettings.KEYS)
                .extracting(SslKey::name)
                .doesNotHaveDuplicates()
                .allMatch(n -> n.startsWith("ssl."));
    }
}
