package io.herald.server.security;

import io.herald.server.config.BrokerConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The Kafka client settings this broker's followers connect to leaders with, read from the broker's own keys for the
 * inter-broker listener, as Kafka brokers do: the listener's security protocol; its {@code ssl.*} keys
 * ({@code listener.name.<listener>.ssl.*} first), so a follower trusts the leader's certificate with the listener's
 * truststore and presents the listener's keystore when the leader asks for a client certificate; and on a SASL
 * listener the mechanism {@code sasl.mechanism.inter.broker.protocol} with the credentials of {@code
 * listener.name.<listener>.<mechanism>.sasl.jaas.config}.
 *
 * <p>Thread-safety: stateless.
 */
public final class InterBrokerClientSettings {

    /** Server-side TLS keys with no meaning for a client. */
    private static final Set<String> SERVER_ONLY = Set.of("ssl.client.auth", "ssl.principal.mapping.rules");

    private InterBrokerClientSettings() {}

    /**
     * The client settings for connecting to other brokers' {@code listener}.
     *
     * @throws IllegalArgumentException if the listener needs SASL and no credentials are configured for it
     */
    public static Map<String, Object> of(BrokerConfig config, String listener) {
        SecurityProtocol protocol = config.securityProtocol(listener);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("security.protocol", protocol.name);
        if (protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL) {
            String prefix = "listener.name." + listener.toLowerCase(Locale.ROOT) + ".";
            Map<String, String> tls = config.tlsSettings();
            tls.forEach((k, v) -> {
                if (k.startsWith("ssl.")) {
                    out.put(k, v);
                }
            });
            tls.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    out.put(k.substring(prefix.length()), v);
                }
            });
            SERVER_ONLY.forEach(out::remove);
        }
        if (protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL) {
            String mechanism = config.get(BrokerConfig.SASL_MECHANISM_INTER_BROKER_PROTOCOL);
            String jaas = config.jaasConfig(listener, mechanism)
                    .orElseThrow(() -> new IllegalArgumentException("The inter-broker listener " + listener
                            + " is " + protocol.name + ": set listener.name." + listener.toLowerCase(Locale.ROOT)
                            + "." + mechanism.toLowerCase(Locale.ROOT)
                            + ".sasl.jaas.config to the credentials followers log in with"));
            out.put(SaslConfigs.SASL_MECHANISM, mechanism);
            out.put(SaslConfigs.SASL_JAAS_CONFIG, jaas);
        }
        return out;
    }
}
