package io.herald.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SslPrincipalMapperTest {

    /** The example of Kafka's documentation of ssl.principal.mapping.rules. */
    private static final String KAFKA_EXAMPLE = "RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/,"
            + "RULE:^CN=(.*?),OU=(.*?),O=(.*?),L=(.*?),ST=(.*?),C=(.*?)$/$1@$2/L,"
            + "RULE:^.*[Cc][Nn]=([a-zA-Z0-9.]*).*$/$1/L,"
            + "DEFAULT";

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "CN=kafka-server1,OU=ServiceUsers,O=kafka,L=xx,ST=xx,C=xx | kafka-server1",
                "CN=Duke,OU=JavaSoft,O=Sun Microsystems,L=Santa Clara,ST=CA,C=US | duke@javasoft",
                "OU=JavaSoft,cn=Duke,O=Sun Microsystems | duke",
                "OU=JavaSoft,O=Sun Microsystems,C=US | OU=JavaSoft,O=Sun Microsystems,C=US"
            })
    void kafkasDocumentedExampleMapsAsInKafka(String subject, String expected) throws Exception {
        assertThat(SslPrincipalMapper.fromRules(KAFKA_EXAMPLE).name(subject)).isEqualTo(expected);
    }

    @Test
    void defaultRulesGiveTheWholeSubject() throws Exception {
        assertThat(SslPrincipalMapper.fromRules("DEFAULT").name("CN=a,O=b")).isEqualTo("CN=a,O=b");
        assertThat(SslPrincipalMapper.fromRules("").name("CN=a,O=b")).isEqualTo("CN=a,O=b");
    }

    @Test
    void upperCaseFlagAndSpacesAroundRules() throws Exception {
        SslPrincipalMapper mapper = SslPrincipalMapper.fromRules("  RULE:^CN=([^,]*),.*$/$1/U ,  DEFAULT ");

        assertThat(mapper.name("CN=duke,OU=x")).isEqualTo("DUKE");
        assertThat(mapper.name("OU=x")).isEqualTo("OU=x");
    }

    @Test
    void anEscapedSlashInTheReplacementIsASlash() throws Exception {
        SslPrincipalMapper mapper = SslPrincipalMapper.fromRules("RULE:^CN=(.*?),OU=(.*?)$/$1\\/$2/");

        assertThat(mapper.name("CN=app,OU=payments")).isEqualTo("app/payments");
    }

    @Test
    void aGroupReferenceBeyondThePatternsGroupsIsLiteral() throws Exception {
        assertThat(SslPrincipalMapper.fromRules("RULE:^CN=(.*)$/$1-$3/").name("CN=app"))
                .isEqualTo("app-$3");
    }

    @Test
    void aSubjectNoRuleMatchesIsNotAuthenticated() {
        SslPrincipalMapper mapper = SslPrincipalMapper.fromRules("RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/");

        assertThatThrownBy(() -> mapper.name("CN=someone,OU=Others"))
                .isInstanceOf(SslPrincipalMapper.NoMatchingRuleException.class)
                .hasMessageContaining("CN=someone,OU=Others");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RULE:^CN=(.*)$", "RULE:^CN=(.*)$/$1", "DEFAULTS", "RULE:a/b/X", "nonsense", "RULE:(/x/"})
    void malformedRulesAreRefusedWithTheKeyInTheMessage(String rules) {
        assertThatThrownBy(() -> SslPrincipalMapper.fromRules(rules))
                .isInstanceOf(SslConfigException.class)
                .hasMessageContaining("ssl.principal.mapping.rules");
    }

    @Test
    void emptyRulesBetweenCommasAreIgnored() throws Exception {
        assertThat(SslPrincipalMapper.fromRules("RULE:^CN=(.*)$/$1/,,DEFAULT").name("O=x"))
                .isEqualTo("O=x");
    }
}
