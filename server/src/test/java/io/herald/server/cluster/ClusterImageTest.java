package io.herald.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterImageTest {

    @Test
    void sharedSecurityStoresSurviveEncodingInOrderAndAnEmptyStoreDiffersFromNone() throws IOException {
        List<String> lines = List.of("b a=1 ü", "a #not a comment", "TOPIC LITERAL b3Jk ZQ Kg READ ALLOW");
        ClusterImage image =
                ClusterImage.empty("c").withSecurityStore("credentials", lines).withSecurityStore("acls", List.of());

        ClusterImage decoded = ClusterImage.decode(image.encode());

        assertThat(decoded).isEqualTo(image);
        assertThat(decoded.securityStore("credentials")).contains(lines);
        assertThat(decoded.securityStore("acls")).contains(List.of());
        assertThat(decoded.securityStore("other")).isEmpty();
        assertThat(ClusterImage.decode(ClusterImage.empty("c").encode()).securityStore("acls"))
                .isEmpty();
    }

    @Test
    void aSecurityStoreMissingALineIsRefused() {
        String damaged = new String(
                        ClusterImage.empty("c")
                                .withSecurityStore("acls", List.of("x", "y"))
                                .encode(),
                        StandardCharsets.ISO_8859_1)
                .replaceAll("(?m)^security\\.acls\\.00000001=.*\n", "");

        assertThatThrownBy(() -> ClusterImage.decode(damaged.getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("acls");
    }
}
