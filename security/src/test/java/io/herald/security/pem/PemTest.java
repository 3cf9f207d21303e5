package io.herald.security.pem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.Test;

class PemTest {

    private static final KeyPair EC = generate("EC", 256);

    @Test
    void pkcs8KeysRoundTripPlainAndEncrypted() throws Exception {
        String plain = Pem.privateKey(EC.getPrivate(), Optional.empty());
        String encrypted = Pem.privateKey(EC.getPrivate(), Optional.of("pw".toCharArray()));

        assertThat(plain).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(encrypted).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(Pem.readPrivateKey(plain, Optional.empty())).isEqualTo(EC.getPrivate());
        assertThat(Pem.readPrivateKey(encrypted, Optional.of("pw".toCharArray())))
                .isEqualTo(EC.getPrivate());
        assertThatThrownBy(() -> Pem.readPrivateKey(encrypted, Optional.of("nope".toCharArray())))
                .isInstanceOf(PemException.class)
                .hasMessageContaining("wrong password");
    }

    @Test
    void legacyOpenSslEncryptedPkcs1KeysAreRead() throws Exception {
        KeyPair rsa = generate("RSA", 2048);
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(
                    rsa.getPrivate(),
                    new JcePEMEncryptorBuilder("AES-128-CBC")
                            .setSecureRandom(new SecureRandom())
                            .setProvider(new BouncyCastleProvider())
                            .build("pw".toCharArray()));
        }
        assertThat(text.toString()).contains("Proc-Type: 4,ENCRYPTED").contains("BEGIN RSA PRIVATE KEY");

        PrivateKey key = Pem.readPrivateKey(text.toString(), Optional.of("pw".toCharArray()));

        assertThat(key.getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
    }

    @Test
    void textWithoutTheExpectedBlockSaysWhatIsMissing() {
        assertThatThrownBy(() -> Pem.readCertificates("hello")).hasMessageContaining("no certificate");
        assertThatThrownBy(() -> Pem.readPrivateKey("", Optional.empty())).hasMessageContaining("no private key");
    }

    private static KeyPair generate(String algorithm, int size) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(size);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
