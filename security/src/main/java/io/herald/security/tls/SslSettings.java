package io.herald.security.tls;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The TLS settings of one listener or one client, read from Kafka's {@code ssl.*} keys.
 *
 * <p>Values are strings as in a properties file ({@link Collection}s are accepted for list keys and {@code char[]} for
 * secrets). {@link #parse} checks the values and their combinations and refuses anything older than TLS 1.2; it does
 * not touch the files: {@link SslContextFactory#create} reads them and reports missing files, wrong passwords and keys
 * that do not match their certificate.
 *
 * <p>Thread-safety: immutable.
 */
public record SslSettings(
        Keystore keystore,
        Truststore truststore,
        ClientAuth clientAuth,
        List<String> enabledProtocols,
        String protocol,
        List<String> cipherSuites,
        String endpointIdentificationAlgorithm,
        String principalMappingRules) {

    public static final SslKey KEYSTORE_TYPE = new SslKey(
            "ssl.keystore.type",
            "JKS",
            "Format of the keystore: JKS, PKCS12 or PEM (certificate chain and key). Kafka's default JKS reads PKCS12"
                    + " files too.");
    public static final SslKey KEYSTORE_LOCATION =
            new SslKey("ssl.keystore.location", "", "Keystore file: this side's private key and certificate chain.");
    public static final SslKey KEYSTORE_PASSWORD =
            new SslKey("ssl.keystore.password", "", "Password of a PKCS12 or JKS keystore file (required for them).");
    public static final SslKey KEY_PASSWORD = new SslKey(
            "ssl.key.password",
            "",
            "Password of the private key: of an encrypted PEM key, or of the key entry of a JKS keystore (default: the"
                    + " keystore password).");
    public static final SslKey KEYSTORE_CERTIFICATE_CHAIN = new SslKey(
            "ssl.keystore.certificate.chain",
            "",
            "The certificate chain as inline PEM text, leaf first (with ssl.keystore.type=PEM, instead of a file).");
    public static final SslKey KEYSTORE_KEY = new SslKey(
            "ssl.keystore.key",
            "",
            "The private key as inline PEM text, PKCS#8 or PKCS#1 (with ssl.keystore.type=PEM, instead of a file).");
    public static final SslKey TRUSTSTORE_TYPE = new SslKey(
            "ssl.truststore.type",
            "JKS",
            "Format of the truststore: JKS, PKCS12 or PEM (certificates). Kafka's default JKS reads PKCS12 files"
                    + " too.");
    public static final SslKey TRUSTSTORE_LOCATION = new SslKey(
            "ssl.truststore.location",
            "",
            "Truststore file: the certificates (CAs) that peers' certificates must chain to. Without one, the JDK's"
                    + " default CAs.");
    public static final SslKey TRUSTSTORE_PASSWORD =
            new SslKey("ssl.truststore.password", "", "Password of a PKCS12 or JKS truststore file.");
    public static final SslKey TRUSTSTORE_CERTIFICATES = new SslKey(
            "ssl.truststore.certificates",
            "",
            "Trusted certificates as inline PEM text (with ssl.truststore.type=PEM, instead of a file).");
    public static final SslKey CLIENT_AUTH = new SslKey(
            "ssl.client.auth",
            "none",
            "Whether a server asks clients for a certificate: none, requested (optional) or required (mutual TLS).");
    public static final SslKey ENABLED_PROTOCOLS = new SslKey(
            "ssl.enabled.protocols",
            "TLSv1.3,TLSv1.2",
            "TLS versions accepted. Only TLSv1.3 and TLSv1.2; older versions are refused at start.");
    public static final SslKey PROTOCOL =
            new SslKey("ssl.protocol", "TLSv1.3", "Protocol of the SSLContext: TLSv1.3, TLSv1.2 or TLS.");
    public static final SslKey CIPHER_SUITES = new SslKey(
            "ssl.cipher.suites", "", "Cipher suites allowed, comma-separated (default: the JDK's enabled suites).");
    public static final SslKey ENDPOINT_IDENTIFICATION_ALGORITHM = new SslKey(
            "ssl.endpoint.identification.algorithm",
            "https",
            "A client checks that the server's certificate names the host it connects to (https); empty disables"
                    + " the check.");
    public static final SslKey PRINCIPAL_MAPPING_RULES = new SslKey(
            "ssl.principal.mapping.rules",
            "DEFAULT",
            "Rules mapping a client certificate's subject to a principal name: RULE:pattern/replacement/[LU], DEFAULT"
                    + " (the whole subject), comma-separated, first match wins.");

    /** Every key, in documentation order. */
    public static final List<SslKey> KEYS = List.of(
            KEYSTORE_TYPE,
            KEYSTORE_LOCATION,
            KEYSTORE_PASSWORD,
            KEY_PASSWORD,
            KEYSTORE_CERTIFICATE_CHAIN,
            KEYSTORE_KEY,
            TRUSTSTORE_TYPE,
            TRUSTSTORE_LOCATION,
            TRUSTSTORE_PASSWORD,
            TRUSTSTORE_CERTIFICATES,
            CLIENT_AUTH,
            ENABLED_PROTOCOLS,
            PROTOCOL,
            CIPHER_SUITES,
            ENDPOINT_IDENTIFICATION_ALGORITHM,
            PRINCIPAL_MAPPING_RULES);

    /** The only protocol versions Herald speaks. */
    public static final Set<String> SUPPORTED_PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");

    public SslSettings {
        enabledProtocols = List.copyOf(enabledProtocols);
        cipherSuites = List.copyOf(cipherSuites);
    }

    /** Keystore formats. */
    public enum StoreType {
        PKCS12,
        JKS,
        PEM
    }

    /** {@code ssl.client.auth}. */
    public enum ClientAuth {
        NONE,
        REQUESTED,
        REQUIRED
    }

    /**
     * This side's key and certificate chain: a file ({@code location}) or, for PEM, inline text ({@code
     * certificateChain} and {@code key}); neither when this side has no key material (a client without mutual TLS).
     */
    public record Keystore(
            StoreType type,
            Optional<Path> location,
            Optional<Password> password,
            Optional<Password> keyPassword,
            Optional<Password> certificateChain,
            Optional<Password> key) {

        public boolean isPresent() {
            return location.isPresent() || key.isPresent();
        }
    }

    /** The certificates peers must chain to: a file, inline PEM text, or neither (the JDK's default CAs). */
    public record Truststore(
            StoreType type, Optional<Path> location, Optional<Password> password, Optional<String> certificates) {

        public boolean isPresent() {
            return location.isPresent() || certificates.isPresent();
        }
    }

    /** The settings of {@code configs}' {@code ssl.*} keys; other keys are ignored. */
    public static SslSettings parse(Map<String, ?> configs) {
        Values values = new Values(configs);
        Keystore keystore = new Keystore(
                values.storeType(KEYSTORE_TYPE),
                values.string(KEYSTORE_LOCATION).map(Path::of),
                values.secret(KEYSTORE_PASSWORD),
                values.secret(KEY_PASSWORD),
                values.secret(KEYSTORE_CERTIFICATE_CHAIN),
                values.secret(KEYSTORE_KEY));
        Truststore truststore = new Truststore(
                values.storeType(TRUSTSTORE_TYPE),
                values.string(TRUSTSTORE_LOCATION).map(Path::of),
                values.secret(TRUSTSTORE_PASSWORD),
                values.string(TRUSTSTORE_CERTIFICATES));
        checkKeystore(keystore);
        checkTruststore(truststore);
        SslSettings settings = new SslSettings(
                keystore,
                truststore,
                values.clientAuth(),
                values.protocols(),
                values.protocol(),
                values.list(CIPHER_SUITES),
                values.string(ENDPOINT_IDENTIFICATION_ALGORITHM)
                        .orElse(configs.containsKey(ENDPOINT_IDENTIFICATION_ALGORITHM.name()) ? "" : "https"),
                values.string(PRINCIPAL_MAPPING_RULES).orElse(PRINCIPAL_MAPPING_RULES.defaultValue()));
        SslPrincipalMapper.fromRules(settings.principalMappingRules()); // fails now on a malformed rule
        return settings;
    }

    /**
     * The settings of listener {@code listenerName}: Kafka's {@code listener.name.<listener>.ssl.*} keys (listener name
     * in lower case) override the plain {@code ssl.*} keys.
     */
    public static SslSettings forListener(Map<String, ?> configs, String listenerName) {
        String prefix = "listener.name." + listenerName.toLowerCase(Locale.ROOT) + ".";
        Map<String, Object> merged = new HashMap<>(configs);
        configs.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                merged.put(key.substring(prefix.length()), value);
            }
        });
        return parse(merged);
    }

    /** The settings with another keystore (the development certificates of a broker started without any). */
    public SslSettings withKeystore(Keystore replacement) {
        checkKeystore(replacement);
        return new SslSettings(
                replacement,
                truststore,
                clientAuth,
                enabledProtocols,
                protocol,
                cipherSuites,
                endpointIdentificationAlgorithm,
                principalMappingRules);
    }

    /** The settings with another truststore. */
    public SslSettings withTruststore(Truststore replacement) {
        checkTruststore(replacement);
        return new SslSettings(
                keystore,
                replacement,
                clientAuth,
                enabledProtocols,
                protocol,
                cipherSuites,
                endpointIdentificationAlgorithm,
                principalMappingRules);
    }

    /** The files this configuration reads, which a {@link KeyMaterialReloader} watches. */
    public List<Path> files() {
        List<Path> files = new ArrayList<>();
        keystore.location().ifPresent(files::add);
        truststore.location().ifPresent(files::add);
        return files;
    }

    private static void checkKeystore(Keystore keystore) {
        boolean inline =
                keystore.certificateChain().isPresent() || keystore.key().isPresent();
        if (inline && keystore.location().isPresent()) {
            throw new SslConfigException("give either " + KEYSTORE_LOCATION.name() + " or "
                    + KEYSTORE_CERTIFICATE_CHAIN.name() + " with " + KEYSTORE_KEY.name() + ", not both");
        }
        if (inline && (keystore.certificateChain().isEmpty() || keystore.key().isEmpty())) {
            throw new SslConfigException(KEYSTORE_CERTIFICATE_CHAIN.name() + " and " + KEYSTORE_KEY.name()
                    + " go together: give both or neither");
        }
        if (inline && keystore.type() != StoreType.PEM) {
            throw new SslConfigException("inline key material (" + KEYSTORE_KEY.name() + ") needs "
                    + KEYSTORE_TYPE.name() + "=PEM, not " + keystore.type());
        }
        if (keystore.location().isPresent()
                && keystore.type() != StoreType.PEM
                && keystore.password().isEmpty()) {
            throw new SslConfigException(KEYSTORE_PASSWORD.name() + " is required for the " + keystore.type()
                    + " keystore " + keystore.location().get());
        }
    }

    private static void checkTruststore(Truststore truststore) {
        if (truststore.certificates().isPresent() && truststore.location().isPresent()) {
            throw new SslConfigException("give either " + TRUSTSTORE_LOCATION.name() + " or "
                    + TRUSTSTORE_CERTIFICATES.name() + ", not both");
        }
        if (truststore.certificates().isPresent() && truststore.type() != StoreType.PEM) {
            throw new SslConfigException(TRUSTSTORE_CERTIFICATES.name() + " needs " + TRUSTSTORE_TYPE.name()
                    + "=PEM, not " + truststore.type());
        }
    }

    /** Reads typed values from the raw map; an empty string is the same as an absent key, as in Kafka. */
    private record Values(Map<String, ?> configs) {

        Optional<String> string(SslKey key) {
            Object value = configs.get(key.name());
            if (value == null) {
                return Optional.empty();
            }
            String text = value instanceof char[] chars
                    ? new String(chars)
                    : value instanceof Password password ? password.value() : value.toString();
            return text.isBlank() ? Optional.empty() : Optional.of(text.strip());
        }

        Optional<Password> secret(SslKey key) {
            return string(key).map(Password::new);
        }

        List<String> list(SslKey key) {
            Object value = configs.get(key.name());
            if (value instanceof Collection<?> items) {
                return items.stream()
                        .map(Object::toString)
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .toList();
            }
            return string(key)
                    .map(text -> Arrays.stream(text.split(","))
                            .map(String::strip)
                            .filter(s -> !s.isEmpty())
                            .toList())
                    .orElse(List.of());
        }

        StoreType storeType(SslKey key) {
            String text = string(key).orElse(key.defaultValue());
            try {
                return StoreType.valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new SslConfigException(key.name() + "=" + text + " is not supported; use PKCS12, JKS or PEM");
            }
        }

        ClientAuth clientAuth() {
            String text = string(CLIENT_AUTH).orElse(CLIENT_AUTH.defaultValue());
            try {
                return ClientAuth.valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new SslConfigException(
                        CLIENT_AUTH.name() + "=" + text + " is not valid; use none, requested or required");
            }
        }

        List<String> protocols() {
            List<String> protocols = list(ENABLED_PROTOCOLS);
            if (protocols.isEmpty()) {
                return List.of("TLSv1.3", "TLSv1.2");
            }
            for (String protocol : protocols) {
                if (!SUPPORTED_PROTOCOLS.contains(protocol)) {
                    throw new SslConfigException(ENABLED_PROTOCOLS.name() + " contains " + protocol
                            + ", which Herald refuses: only TLSv1.3 and TLSv1.2 are supported (older versions are"
                            + " insecure)");
                }
            }
            return protocols;
        }

        String protocol() {
            String protocol = string(PROTOCOL).orElse(PROTOCOL.defaultValue());
            if (!SUPPORTED_PROTOCOLS.contains(protocol) && !protocol.equals("TLS")) {
                throw new SslConfigException(PROTOCOL.name() + "=" + protocol
                        + " is refused: use TLSv1.3, TLSv1.2 or TLS (older versions are insecure)");
            }
            return protocol;
        }
    }
}
