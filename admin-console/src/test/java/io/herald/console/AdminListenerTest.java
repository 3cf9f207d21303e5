package io.herald.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.server.config.BrokerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdminListenerTest {

    @Test
    void listenersAreParsedWithAnEmptyHostForEveryInterfaceAndBracketedIpv6() {
        assertThat(AdminListener.parseList("http://:8080, http://127.0.0.1:0,http://[::1]:9000"))
                .containsExactly(
                        new AdminListener("", 8080), new AdminListener("127.0.0.1", 0), new AdminListener("::1", 9000));
        assertThat(new AdminListener("", 8080).bindHost()).isEqualTo("0.0.0.0");
    }

    @Test
    void httpsListenersAreAcceptedBesidePlainOnes() {
        assertThat(BrokerConfig.parse(Map.of("admin.listeners", "https://127.0.0.1:0,http://:8080"))
                        .get(BrokerConfig.ADMIN_LISTENERS))
                .isEqualTo("https://127.0.0.1:0,http://:8080");
        assertThat(AdminListener.parseList("https://127.0.0.1:8443,http://:8080"))
                .containsExactly(new AdminListener(true, "127.0.0.1", 8443), new AdminListener(false, "", 8080));
    }

    @Test
    void anEmptySettingTurnsTheConsoleOff() {
        assertThat(AdminListener.parseList("")).isEmpty();
        assertThat(AdminListener.parseList("  ")).isEmpty();
    }

    @Test
    void theBrokerRefusesAMalformedSettingNamingTheKey() {
        assertThat(BrokerConfig.parse(Map.of()).get(BrokerConfig.ADMIN_LISTENERS))
                .isEqualTo("http://:8080");
        for (String bad : new String[] {"8080", "ftp://:8443", "http://host", "http://:99999", "http://a:1,x"}) {
            assertThatThrownBy(() -> BrokerConfig.parse(Map.of("admin.listeners", bad)))
                    .as(bad)
                    .hasMessageContaining("admin.listeners");
        }
    }
}
