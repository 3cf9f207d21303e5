package io.herald.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input at the network layer: each misbehaving connection gets the protocol's error or is closed, and the broker
 * keeps serving everyone else.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NetworkRobustnessTest {

    @TempDir
    Path data;

    private EmbeddedHerald broker;

    @BeforeEach
    void start() throws Exception {
        broker = EmbeddedHerald.start(
                data, Map.of("socket.request.max.bytes", "65536", "connections.max.idle.ms", "60000"));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private RawClient connect() throws Exception {
        String[] hostPort = broker.bootstrap().split(":");
        return new RawClient(hostPort[0], Integer.parseInt(hostPort[1]));
    }

    private static ApiVersionsRequest apiVersions(short version) {
        return new ApiVersionsRequest.Builder(
                        new ApiVersionsRequestData()
                                .setClientSoftwareName("raw")
                                .setClientSoftwareVersion("1"),
                        version,
                        version)
                .build(version);
    }

    private static MetadataRequest metadata(short version) {
        return new MetadataRequest.Builder(new MetadataRequestData().setTopics(null)).build(version);
    }

    /** The broker still serves a real client. */
    private void assertBrokerServes() throws Exception {
        Properties p = broker.clientProperties();
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>("still-alive", "k", "v")).get(30, TimeUnit.SECONDS);
        }
        try (Admin admin = Admin.create(broker.clientProperties())) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("still-alive");
        }
    }

    @Test
    void apiVersionsAdvertisesWhatTheBrokerServes() throws Exception {
        try (RawClient client = connect()) {
            client.send(apiVersions((short) 3), 1);
            ApiVersionsResponse response = (ApiVersionsResponse) client.receive(ApiKeys.API_VERSIONS, (short) 3, 1);

            assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(response.data().apiKeys().find(ApiKeys.PRODUCE.id).maxVersion())
                    .isEqualTo((short) 13);
            assertThat(response.data().apiKeys().find(ApiKeys.LEADER_AND_ISR.id))
                    .isNull();
        }
    }

    @Test
    void anApiVersionsRequestOfAnUnknownVersionGetsUnsupportedVersionWithTheRangesInVersionZero() throws Exception {
        try (RawClient client = connect()) {
            ByteBuffer payload = RawClient.encode(apiVersions((short) 3), 5);
            payload.putShort(2, (short) 99); // the header's api version
            client.sendFrame(payload);

            ApiVersionsResponse response = (ApiVersionsResponse) client.receive(ApiKeys.API_VERSIONS, (short) 0, 5);

            assertThat(response.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            assertThat(response.data().apiKeys().find(ApiKeys.API_VERSIONS.id).maxVersion())
                    .isEqualTo((short) 4);
        }
    }

    @Test
    void anUnsupportedVersionOfAnotherApiClosesOnlyThatConnection() throws Exception {
        try (RawClient bad = connect();
                RawClient good = connect()) {
            ByteBuffer payload = RawClient.encode(metadata((short) 12), 1);
            payload.putShort(2, (short) 99);
            bad.sendFrame(payload);
            assertThat(bad.closedByPeer()).isTrue();

            good.send(metadata((short) 12), 2);
            assertThat(good.receive(ApiKeys.METADATA, (short) 12, 2)).isInstanceOf(MetadataResponse.class);
        }
    }

    @Test
    void anUnknownApiKeyClosesTheConnection() throws Exception {
        try (RawClient client = connect()) {
            ByteBuffer payload = RawClient.encode(metadata((short) 12), 1);
            payload.putShort(0, (short) 4242);
            client.sendFrame(payload);
            assertThat(client.closedByPeer()).isTrue();
        }
        assertBrokerServes();
    }

    @Test
    void aBodyThatDoesNotParseClosesTheConnection() throws Exception {
        try (RawClient client = connect()) {
            ByteBuffer payload = RawClient.encode(metadata((short) 12), 1);
            ByteBuffer truncated = ByteBuffer.allocate(payload.remaining() + 3);
            truncated
                    .put(payload)
                    .put(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff})
                    .flip();
            // a topic array length of 0x7fffffff: far more than the frame holds
            truncated.putInt(truncated.limit() - 7, 0x7fffffff);
            client.sendFrame(truncated);
            assertThat(client.closedByPeer()).isTrue();
        }
        assertBrokerServes();
    }

    @Test
    void aFrameLargerThanTheLimitClosesTheConnectionWithoutReadingIt() throws Exception {
        try (RawClient client = connect()) {
            client.sendRaw(ByteBuffer.allocate(4).putInt(10_000_000).array());
            assertThat(client.closedByPeer()).isTrue();
        }
        try (RawClient client = connect()) {
            client.sendRaw(ByteBuffer.allocate(4).putInt(-5).array());
            assertThat(client.closedByPeer()).isTrue();
        }
        assertBrokerServes();
    }

    @Test
    void aHalfWrittenFrameFromAClientThatGoesAwayHarmsNobody() throws Exception {
        try (RawClient client = connect()) {
            ByteBuffer payload = RawClient.encode(metadata((short) 12), 1);
            byte[] half = new byte[4 + payload.remaining() / 2];
            ByteBuffer.wrap(half)
                    .putInt(payload.remaining())
                    .put(payload.array(), payload.arrayOffset(), half.length - 4);
            client.sendRaw(half);
        }
        assertBrokerServes();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawClient client = connect()) {
            for (int i = 0; i < 20; i++) {
                client.send(i % 2 == 0 ? apiVersions((short) 3) : metadata((short) 12), 100 + i);
            }
            for (int i = 0; i < 20; i++) {
                if (i % 2 == 0) {
                    client.receive(ApiKeys.API_VERSIONS, (short) 3, 100 + i);
                } else {
                    client.receive(ApiKeys.METADATA, (short) 12, 100 + i);
                }
            }
        }
    }

    @Test
    void randomAndMutatedFramesNeverStopTheBroker() throws Exception {
        Random random = new Random(20261122);
        List<ByteBuffer> valid = new ArrayList<>();
        valid.add(RawClient.encode(apiVersions((short) 3), 1));
        valid.add(RawClient.encode(metadata((short) 12), 2));
        valid.add(RawClient.encode(metadata((short) 4), 3));
        for (int i = 0; i < 400; i++) {
            byte[] payload;
            if (i % 3 == 0) {
                payload = new byte[random.nextInt(200)];
                random.nextBytes(payload);
            } else {
                ByteBuffer base = valid.get(random.nextInt(valid.size()));
                payload = new byte[base.remaining()];
                base.duplicate().get(payload);
                int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    payload[random.nextInt(payload.length)] = (byte) random.nextInt(256);
                }
                if (random.nextBoolean()) {
                    payload = java.util.Arrays.copyOf(payload, random.nextInt(payload.length + 1));
                }
            }
            try (RawClient client = connect()) {
                client.sendFrame(ByteBuffer.wrap(payload));
                // Either an answer or a closed connection; a hang would trip the socket timeout.
                try {
                    client.receiveFrame();
                } catch (java.io.IOException e) {
                    // closed: fine
                }
            }
        }
        assertBrokerServes();
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        broker.close();
        broker = EmbeddedHerald.start(data, Map.of("connections.max.idle.ms", "300"));
        try (RawClient client = connect()) {
            client.send(apiVersions((short) 3), 1);
            client.receive(ApiKeys.API_VERSIONS, (short) 3, 1);

            assertThat(client.closedByPeer()).isTrue();
        }
    }
}
