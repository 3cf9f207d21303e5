package io.herald.server.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.server.BrokerWithAdmin;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DescribeConfigs on a {@code GROUP} resource through the real Admin client: the configs set with
 * IncrementalAlterConfigs ({@code DYNAMIC_GROUP_CONFIG}) and every other group key with its value in force ({@code
 * DEFAULT_CONFIG}), as Kafka reports them; also across a restart.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupConfigsDescribeTest {

    private static final ConfigResource GROUP = new ConfigResource(ConfigResource.Type.GROUP, "orders-readers");

    @RegisterExtension
    final BrokerWithAdmin herald = new BrokerWithAdmin(
            Map.of("share.coordinator.state.topic.num.partitions", "3", "group.share.delivery.count.limit", "7"));

    private void set(String key, String value) throws Exception {
        herald.admin()
                .incrementalAlterConfigs(Map.of(
                        GROUP, List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET))))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    private Config describe() throws Exception {
        return herald.admin()
                .describeConfigs(List.of(GROUP), new DescribeConfigsOptions().includeDocumentation(true))
                .all()
                .get(30, TimeUnit.SECONDS)
                .get(GROUP);
    }

    @Test
    void theConfigsSetAreDescribedAsGroupConfigsAndTheOthersWithTheirValueInForce() throws Exception {
        set("share.record.lock.duration.ms", "15000");
        set(ShareGroupConfigs.JMS_SUBSCRIPTION_SELECTOR, "region = 'EU'");

        Config config = describe();
        ConfigEntry lock = config.get("share.record.lock.duration.ms");
        assertThat(lock.value()).isEqualTo("15000");
        assertThat(lock.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG);
        assertThat(lock.type()).isEqualTo(ConfigEntry.ConfigType.INT);
        assertThat(config.get(ShareGroupConfigs.JMS_SUBSCRIPTION_SELECTOR).value())
                .isEqualTo("region = 'EU'");
        ConfigEntry limit = config.get("share.delivery.count.limit");
        assertThat(limit.value()).as("the broker's value").isEqualTo("7");
        assertThat(limit.source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        ConfigEntry reset = config.get("share.auto.offset.reset");
        assertThat(reset.value()).isEqualTo("latest");
        assertThat(reset.source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(reset.documentation()).isNotBlank();
        assertThat(config.entries())
                .extracting(ConfigEntry::name)
                .containsAll(ShareGroupConfigs.KEYS.stream()
                        .map(ShareGroupConfigs.Key::name)
                        .toList());

        herald.restart();
        assertThat(describe().get("share.record.lock.duration.ms").value()).isEqualTo("15000");
    }

    @Test
    void aGroupWithoutConfigsIsDescribedWithTheDefaults() throws Exception {
        Config config = describe();

        assertThat(config.entries()).isNotEmpty();
        assertThat(config.entries())
                .allSatisfy(e -> assertThat(e.source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG));
        assertThat(config.get(ShareGroupConfigs.JMS_SUBSCRIPTION_SELECTOR).value())
                .isEmpty();
    }

    @Test
    void anInvalidSubscriptionSelectorIsRefused() {
        assertThatThrownBy(() -> set(ShareGroupConfigs.JMS_SUBSCRIPTION_SELECTOR, "region = "))
                .hasCauseInstanceOf(InvalidConfigurationException.class);
    }
}
