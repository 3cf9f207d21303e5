package io.herald.security.tls;

import io.herald.security.pem.Pem;
import io.herald.security.pem.PemException;
import io.herald.security.tls.SslSettings.Keystore;
import io.herald.security.tls.SslSettings.StoreType;
import io.herald.security.tls.SslSettings.Truststore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The key and trust managers of one {@link SslSettings}, built from file contents already read (see {@link
 * FileSnapshot}) or inline PEM text. PEM material is put into an in-memory PKCS12 keystore so that the JDK's own key
 * and trust manager factories do the rest.
 *
 * <p>Every failure is an {@link SslConfigException} naming the setting: a file that is not a keystore, a wrong
 * password, a keystore without a key, a key that does not belong to its certificate.
 *
 * <p>Thread-safety: immutable once built.
 */
record KeyMaterial(
        Optional<KeyManager[]> keyManagers, Optional<TrustManager[]> trustManagers, List<X509Certificate> chain) {

    /** The password of the in-memory keystores built from PEM; they never leave the process. */
    private static final char[] IN_MEMORY_PASSWORD = "herald-in-memory".toCharArray();

    static KeyMaterial load(SslSettings settings, Map<Path, FileSnapshot> files) {
        Keystore keystore = settings.keystore();
        KeyStore keys = null;
        char[] keyPassword = null;
        if (keystore.isPresent()) {
            if (keystore.type() == StoreType.PEM) {
                keys = pemKeystore(keystore, files);
                keyPassword = IN_MEMORY_PASSWORD;
            } else {
                keys = fileStore(
                        SslSettings.KEYSTORE_LOCATION,
                        keystore.type(),
                        keystore.location().get(),
                        keystore.password(),
                        files);
                keyPassword = keystore.keyPassword()
                        .or(keystore::password)
                        .map(Password::chars)
                        .orElse(null);
            }
        }
        List<X509Certificate> chain = keys == null ? List.of() : checkKeyEntries(keystore, keys, keyPassword);
        Truststore truststore = settings.truststore();
        KeyStore trusted = null;
        if (truststore.isPresent()) {
            trusted = truststore.type() == StoreType.PEM
                    ? pemTruststore(truststore, files)
                    : fileStore(
                            SslSettings.TRUSTSTORE_LOCATION,
                            truststore.type(),
                            truststore.location().get(),
                            truststore.password(),
                            files);
            checkHasCertificates(truststore, trusted);
        }
        try {
            Optional<KeyManager[]> keyManagers = Optional.empty();
            if (keys != null) {
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(keys, keyPassword);
                keyManagers = Optional.of(factory.getKeyManagers());
            }
            Optional<TrustManager[]> trustManagers = Optional.empty();
            if (trusted != null) {
                TrustManagerFactory factory =
                        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(trusted);
                trustManagers = Optional.of(factory.getTrustManagers());
            }
            return new KeyMaterial(keyManagers, trustManagers, chain);
        } catch (GeneralSecurityException e) {
            throw new SslConfigException("the key material cannot be used: " + e.getMessage(), e);
        }
    }

    private static KeyStore pemKeystore(Keystore keystore, Map<Path, FileSnapshot> files) {
        String source = keystore.location().map(Path::toString).orElse("inline PEM");
        String chainText = keystore.location()
                .map(path -> text(files, path))
                .orElseGet(() -> keystore.certificateChain().get().value());
        String keyText = keystore.location()
                .map(path -> text(files, path))
                .orElseGet(() -> keystore.key().get().value());
        List<X509Certificate> chain;
        PrivateKey key;
        String chainSetting = keystore.location()
                .map(path -> SslSettings.KEYSTORE_LOCATION.name() + "=" + path)
                .orElse(SslSettings.KEYSTORE_CERTIFICATE_CHAIN.name());
        String keySetting = keystore.location()
                .map(path -> SslSettings.KEYSTORE_LOCATION.name() + "=" + path)
                .orElse(SslSettings.KEYSTORE_KEY.name());
        try {
            chain = Pem.readCertificates(chainText);
        } catch (PemException e) {
            throw new SslConfigException(chainSetting + ": " + e.getMessage(), e);
        }
        try {
            key = Pem.readPrivateKey(
                    keyText, keystore.keyPassword().or(keystore::password).map(Password::chars));
        } catch (PemException e) {
            String hint = e.getMessage().contains("password")
                    ? " (the key's password is " + SslSettings.KEY_PASSWORD.name() + ")"
                    : "";
            throw new SslConfigException(keySetting + ": " + e.getMessage() + hint, e);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("herald", key, IN_MEMORY_PASSWORD, chain.toArray(new Certificate[0]));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new SslConfigException("the PEM key material (" + source + ") cannot be used: " + e.getMessage(), e);
        }
    }

    private static KeyStore pemTruststore(Truststore truststore, Map<Path, FileSnapshot> files) {
        String source = truststore.location().map(Path::toString).orElse("inline PEM");
        String text = truststore
                .location()
                .map(path -> text(files, path))
                .orElseGet(() -> truststore.certificates().get());
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (X509Certificate certificate : Pem.readCertificates(text)) {
                store.setCertificateEntry("trusted-" + i++, certificate);
            }
            return store;
        } catch (PemException e) {
            throw new SslConfigException(
                    SslSettings.TRUSTSTORE_CERTIFICATES.name() + " (" + source + "): " + e.getMessage(), e);
        } catch (GeneralSecurityException | IOException e) {
            throw new SslConfigException("the PEM truststore (" + source + ") cannot be used: " + e.getMessage(), e);
        }
    }

    private static KeyStore fileStore(
            SslKey location, StoreType type, Path path, Optional<Password> password, Map<Path, FileSnapshot> files) {
        String passwordKey = location == SslSettings.KEYSTORE_LOCATION
                ? SslSettings.KEYSTORE_PASSWORD.name()
                : SslSettings.TRUSTSTORE_PASSWORD.name();
        try {
            KeyStore store = KeyStore.getInstance(type.name());
            store.load(
                    new ByteArrayInputStream(files.get(path).content()),
                    password.map(Password::chars).orElse(null));
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new SslConfigException(
                        location.name() + "=" + path + ": wrong password (" + passwordKey + ")", e);
            }
            throw new SslConfigException(
                    location.name() + "=" + path + ": not a " + type + " keystore, or the " + passwordKey
                            + " is wrong (" + e.getMessage() + ")",
                    e);
        } catch (GeneralSecurityException e) {
            throw new SslConfigException(
                    location.name() + "=" + path + ": cannot be read as " + type + ": " + e.getMessage(), e);
        }
    }

    /** The chain of the first key entry, after checking that every key can be read and belongs to its certificate. */
    private static List<X509Certificate> checkKeyEntries(Keystore keystore, KeyStore store, char[] keyPassword) {
        String source = keystore.location().map(Path::toString).orElse("inline PEM");
        List<X509Certificate> first = null;
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (!store.isKeyEntry(alias)) {
                    continue;
                }
                Key key;
                try {
                    key = store.getKey(alias, keyPassword);
                } catch (UnrecoverableKeyException e) {
                    throw new SslConfigException(
                            "the key '" + alias + "' of " + source + " cannot be read: wrong "
                                    + SslSettings.KEY_PASSWORD.name() + "?",
                            e);
                }
                Certificate[] certificates = store.getCertificateChain(alias);
                if (!(key instanceof PrivateKey privateKey)
                        || certificates == null
                        || certificates.length == 0
                        || !(certificates[0] instanceof X509Certificate leaf)) {
                    continue;
                }
                if (!Pem.matches(privateKey, leaf)) {
                    throw new SslConfigException("the private key of " + source
                            + " does not belong to its certificate "
                            + leaf.getSubjectX500Principal().getName()
                            + " (mismatched key and certificate)");
                }
                if (first == null) {
                    first = Arrays.stream(certificates)
                            .map(X509Certificate.class::cast)
                            .toList();
                }
            }
        } catch (KeyStoreException | NoSuchAlgorithmException e) {
            throw new SslConfigException("the keystore " + source + " cannot be read: " + e.getMessage(), e);
        }
        if (first == null) {
            throw new SslConfigException("the keystore " + source + " has no private key with a certificate");
        }
        return first;
    }

    private static void checkHasCertificates(Truststore truststore, KeyStore store) {
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias) || store.getCertificate(alias) != null) {
                    return;
                }
            }
        } catch (KeyStoreException e) {
            throw new SslConfigException("the truststore cannot be read: " + e.getMessage(), e);
        }
        throw new SslConfigException("the truststore "
                + truststore.location().map(Path::toString).orElse("(inline PEM)")
                + " has no certificate (is " + SslSettings.TRUSTSTORE_PASSWORD.name() + " given?)");
    }

    private static String text(Map<Path, FileSnapshot> files, Path path) {
        return new String(files.get(path).content(), StandardCharsets.UTF_8);
    }
}
