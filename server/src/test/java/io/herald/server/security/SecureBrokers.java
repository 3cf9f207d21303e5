package io.herald.server.security;

import io.herald.security.sasl.CredentialStore;
import io.herald.security.sasl.ScramCredential;
import io.herald.security.sasl.ScramMechanism;
import io.herald.server.EmbeddedHerald;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** Test set-up shared by the security tests: users written before the broker starts, and client properties. */
final class SecureBrokers {

    private SecureBrokers() {}

    /** Gives {@code user} both SCRAM credentials, as {@code herald users add} does on a stopped broker. */
    static void addUser(Path dataDir, String user, String password) throws IOException {
        CredentialStore store = CredentialStore.open(BrokerSecurity.credentialsFile(dataDir));
        for (ScramMechanism m : ScramMechanism.values()) {
            store.put(user, ScramCredential.fromPassword(m, password, 4096));
        }
    }

    static EmbeddedHerald saslBroker(Path dataDir, Map<String, String> extra) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("listeners", "SASL_PLAINTEXT://127.0.0.1:0");
        settings.putAll(extra);
        return EmbeddedHerald.start(dataDir, settings);
    }

    static Properties sasl(EmbeddedHerald broker, String mechanism, String user, String password) {
        Properties p = broker.clientProperties();
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", mechanism);
        String module = mechanism.equals("PLAIN")
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        p.put("sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";");
        return p;
    }
}
