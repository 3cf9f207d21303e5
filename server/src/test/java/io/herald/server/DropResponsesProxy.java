package io.herald.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * A TCP proxy between a client and the broker that loses the broker's answers to the first N produce requests: it
 * forwards the request (so the broker appends), then drops the response and cuts the connection, as a network failure
 * at the worst moment would. The client must retry, and an idempotent producer's retry must not append twice.
 */
final class DropResponsesProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String brokerHost;
    private volatile int brokerPort;
    private final AtomicInteger dropsLeft;
    private final AtomicInteger dropped = new AtomicInteger();
    private final Thread acceptor;

    DropResponsesProxy(String brokerHost, int brokerPort, int drops) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.brokerHost = brokerHost;
        this.brokerPort = brokerPort;
        this.dropsLeft = new AtomicInteger(drops);
        this.acceptor = new Thread(this::accept, "proxy-acceptor");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Points the proxy at the broker (which must advertise the proxy's port, so clients keep coming through it). */
    void target(int port) {
        this.brokerPort = port;
    }

    int dropped() {
        return dropped.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket broker = new Socket(brokerHost, brokerPort);
                Map<Integer, Short> apiOfCorrelation = new ConcurrentHashMap<>();
                start(() -> forwardRequests(client, broker, apiOfCorrelation));
                start(() -> forwardResponses(broker, client, apiOfCorrelation));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void start(Runnable r) {
        Thread t = new Thread(r, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void forwardRequests(Socket client, Socket broker, Map<Integer, Short> apiOfCorrelation) {
        try (DataInputStream in = new DataInputStream(client.getInputStream());
                DataOutputStream out = new DataOutputStream(broker.getOutputStream())) {
            while (true) {
                byte[] frame = readFrame(in);
                ByteBuffer header = ByteBuffer.wrap(frame);
                short apiKey = header.getShort();
                header.getShort();
                apiOfCorrelation.put(header.getInt(), apiKey);
                out.writeInt(frame.length);
                out.write(frame);
                out.flush();
            }
        } catch (IOException e) {
            closeBoth(client, broker);
        }
    }

    private void forwardResponses(Socket broker, Socket client, Map<Integer, Short> apiOfCorrelation) {
        try (DataInputStream in = new DataInputStream(broker.getInputStream());
                DataOutputStream out = new DataOutputStream(client.getOutputStream())) {
            while (true) {
                byte[] frame = readFrame(in);
                int correlationId = ByteBuffer.wrap(frame).getInt();
                Short api = apiOfCorrelation.remove(correlationId);
                if (api != null && api == ApiKeys.PRODUCE.id && dropsLeft.getAndDecrement() > 0) {
                    dropped.incrementAndGet();
                    closeBoth(client, broker);
                    return;
                }
                out.writeInt(frame.length);
                out.write(frame);
                out.flush();
            }
        } catch (IOException e) {
            closeBoth(client, broker);
        }
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        int size = in.readInt();
        byte[] frame = new byte[size];
        in.readFully(frame);
        return frame;
    }

    private static void closeBoth(Socket a, Socket b) {
        try {
            a.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            b.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
