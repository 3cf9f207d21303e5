package io.herald.server.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.EmbeddedHerald;
import io.herald.server.RawKafkaClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JMS presence groups over a raw connection ({@link JmsPresenceGroups}): a {@code jms.client.*} group admits one
 * member, whatever {@code group.max.size} says, and is free again once it leaves; presence groups start without the
 * initial rebalance delay (set here far beyond the test's timeout, so a delayed join would fail the test).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JmsPresenceGroupsTest {

    @TempDir
    Path data;

    private static JoinGroupRequestData join(String group, String memberId) {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol()
                .setName("herald-jms-presence")
                .setMetadata("status".getBytes(StandardCharsets.UTF_8)));
        return new JoinGroupRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setProtocolType("consumer")
                .setProtocols(protocols)
                .setSessionTimeoutMs(10_000)
                .setRebalanceTimeoutMs(10_000);
    }

    private static JoinGroupResponseData joinAndSync(RawKafkaClient c, String group) throws IOException {
        JoinGroupResponseData first = c.send(join(group, ""), (short) 9);
        assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        JoinGroupResponseData joined = c.send(join(group, first.memberId()), (short) 9);
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        SyncGroupResponseData synced = c.send(
                new SyncGroupRequestData()
                        .setGroupId(group)
                        .setMemberId(joined.memberId())
                        .setGenerationId(joined.generationId())
                        .setProtocolType("consumer")
                        .setProtocolName(joined.protocolName()),
                (short) 5);
        assertThat(Errors.forCode(synced.errorCode())).isEqualTo(Errors.NONE);
        return joined;
    }

    @Test
    void aClientIdGroupAdmitsOneMemberAtATimeAndPresenceGroupsDoNotWaitForOthers() throws Exception {
        Map<String, String> settings = new HashMap<>(GroupTestSettings.broker());
        settings.put("group.initial.rebalance.delay.ms", "600000");
        settings.put("group.max.size", "100");
        try (EmbeddedHerald broker = EmbeddedHerald.start(data, settings)) {
            RawKafkaClient first = RawKafkaClient.connect(broker.bootstrap(), "first");
            RawKafkaClient second = RawKafkaClient.connect(broker.bootstrap(), "second");
            try {
                JoinGroupResponseData holder = joinAndSync(first, "jms.client.orders-app");
                joinAndSync(first, "jms.owner.6f1c2d");

                JoinGroupResponseData refused = second.send(join("jms.client.orders-app", ""), (short) 9);
                assertThat(Errors.forCode(refused.errorCode())).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);

                LeaveGroupResponseData left = first.send(
                        new LeaveGroupRequestData()
                                .setGroupId("jms.client.orders-app")
                                .setMemberId(holder.memberId()),
                        (short) 0);
                assertThat(Errors.forCode(left.errorCode())).isEqualTo(Errors.NONE);
                joinAndSync(second, "jms.client.orders-app");
            } finally {
                first.close();
                second.close();
            }
        }
    }
}
