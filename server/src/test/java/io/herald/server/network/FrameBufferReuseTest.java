package io.herald.server.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.config.Listener;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.MessageUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The processors read request frames into pooled direct buffers and take each one back when its request has been
 * answered, so a connection sending request after request allocates no new native memory.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FrameBufferReuseTest {

    private static final int REQUESTS = 200;

    @Test
    void aConnectionSendingManyRequestsReusesOneFrameBuffer() throws Exception {
        RequestChannel channel = new RequestChannel(16);
        NetworkSettings settings = new NetworkSettings(1, 1024 * 1024, -1, -1, 600_000);
        AtomicInteger answered = new AtomicInteger();
        try (SocketServer server =
                new SocketServer(List.of(new Listener("PLAINTEXT", "127.0.0.1", 0)), settings, channel)) {
            server.start();
            Thread handler = new Thread(() -> {
                try {
                    while (answered.get() < REQUESTS) {
                        Request request = channel.poll(100);
                        if (request != null) {
                            channel.sendResponse(Response.none(request));
                            answered.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            handler.start();
            try (Socket socket = new Socket("127.0.0.1", server.boundPort("PLAINTEXT"))) {
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                for (int i = 0; i < REQUESTS; i++) {
                    writeFrame(out, i, 20_000);
                }
                out.flush();
                handler.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertThat(answered.get()).isEqualTo(REQUESTS);
            assertThat(server.frameBuffersAllocated()).isEqualTo(1);
        }
    }

    /** A produce-sized frame: a request header and {@code bodyBytes} of filler the handler never parses. */
    private static void writeFrame(OutputStream stream, int correlationId, int bodyBytes) throws IOException {
        short version = 9;
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(ApiKeys.PRODUCE.id)
                .setRequestApiVersion(version)
                .setClientId("frame-reuse-test")
                .setCorrelationId(correlationId);
        ByteBuffer headerBytes = MessageUtil.toByteBufferAccessor(header, ApiKeys.PRODUCE.requestHeaderVersion(version))
                .buffer();
        DataOutputStream out = new DataOutputStream(stream);
        out.writeInt(headerBytes.remaining() + bodyBytes);
        byte[] bytes = new byte[headerBytes.remaining()];
        headerBytes.get(bytes);
        out.write(bytes);
        out.write(new byte[bodyBytes]);
    }
}
