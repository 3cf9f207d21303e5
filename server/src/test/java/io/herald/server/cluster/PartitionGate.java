package io.herald.server.cluster;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fault-injecting TCP proxy in front of one port of one broker, for network partition tests: it forwards every
 * connection to the broker's real port until told to {@link #cut} some peer brokers off; then it closes their open
 * connections and closes each new one of theirs at once, until {@link #heal}. Clients that are no broker pass.
 *
 * <p>Each connection is attributed to the broker it comes from in one of two ways: by source address ({@link
 * Origin#SOURCE_ADDRESS}: broker {@code n} connects from {@code 127.0.0.n}, as a Hazelcast member bound to its {@code
 * cluster.host} does), or by the client id of its first Kafka request ({@link Origin#REPLICA_CLIENT_ID}: a replica
 * fetcher of broker {@code n} calls itself {@code herald-replica-n}).
 *
 * <p>Design note: plain blocking sockets with two pump threads per connection; a test has a few dozen connections at
 * most, and closing both sockets is all it takes to stop the pumps.
 *
 * <p>Thread-safety: thread-safe; {@link #cut} and {@link #heal} may be called from any thread.
 */
final class PartitionGate implements AutoCloseable {

    /** How a connection's source broker is recognised. */
    enum Origin {
        SOURCE_ADDRESS,
        REPLICA_CLIENT_ID
    }

    private static final String REPLICA_PREFIX = "herald-replica-";
    private static final int UNKNOWN = -1;

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Origin origin;
    private final Map<Socket, Integer> open = new ConcurrentHashMap<>();
    private final Thread acceptor;
    private volatile Set<Integer> cut = Set.of();
    private volatile boolean closed;

    private PartitionGate(ServerSocket server, InetSocketAddress target, Origin origin) {
        this.server = server;
        this.target = target;
        this.origin = origin;
        this.acceptor = new Thread(this::accept, "partition-gate-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /** A gate listening on an ephemeral port of {@code host} that forwards to {@code target}. */
    static PartitionGate open(String host, InetSocketAddress target, Origin origin) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
        PartitionGate g = new PartitionGate(s, target, origin);
        g.acceptor.start();
        return g;
    }

    /** {@code host:port} to advertise instead of the broker's own. */
    String address() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    int port() {
        return server.getLocalPort();
    }

    /** From now on connections from {@code brokers} are closed: open ones now, new ones as they come. */
    void cut(Set<Integer> brokers) {
        cut = Set.copyOf(brokers);
        open.forEach((socket, from) -> {
            if (brokers.contains(from)) {
                closeQuietly(socket);
            }
        });
    }

    /** Lets every broker through again. */
    void heal() {
        cut = Set.of();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> connect(client), "partition-gate-conn-" + server.getLocalPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("Partition gate " + address() + " stopped accepting: " + e);
                }
                return;
            }
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            byte[] firstFrame = new byte[0];
            int from;
            if (origin == Origin.SOURCE_ADDRESS) {
                from = brokerOfAddress(client.getInetAddress());
            } else {
                firstFrame = readFrame(client.getInputStream());
                from = brokerOfClientId(firstFrame);
            }
            open.put(client, from);
            if (closed || cut.contains(from)) {
                throw new IOException("cut off");
            }
            upstream.connect(target, 5000);
            open.put(upstream, from);
            if (cut.contains(from)) { // cut while connecting
                throw new IOException("cut off");
            }
            upstream.getOutputStream().write(firstFrame);
            pump(upstream, client, "down");
            pump(client, upstream, "up");
        } catch (IOException e) {
            closeBoth(client, upstream);
        }
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[64 * 1024];
                    try (InputStream in = from.getInputStream()) {
                        OutputStream out = to.getOutputStream();
                        for (int n; (n = in.read(buf)) >= 0; ) {
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // closed by the peer or by cut
                    } finally {
                        closeBoth(from, to);
                    }
                },
                "partition-gate-" + direction + "-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    private void closeBoth(Socket a, Socket b) {
        closeQuietly(a);
        closeQuietly(b);
    }

    private void closeQuietly(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // closing
        }
    }

    /** Broker {@code n} on {@code 127.0.0.n}; other addresses are no broker. */
    private static int brokerOfAddress(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 4 && b[0] == 127 ? b[3] & 0xff : UNKNOWN;
    }

    /** The size-prefixed first request, whole, to be forwarded as it came. */
    private static byte[] readFrame(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int size = data.readInt();
        if (size < 10 || size > 16 * 1024 * 1024) {
            throw new IOException("Not a Kafka request: size " + size);
        }
        byte[] frame = new byte[4 + size];
        ByteBuffer.wrap(frame).putInt(size);
        data.readFully(frame, 4, size);
        return frame;
    }

    /**
     * The replica's broker from the request header: {@code int32 size, int16 api key, int16 version, int32 correlation
     * id, int16 client id length, client id bytes} (the client id is a non-compact string in every header version).
     */
    private static int brokerOfClientId(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        b.position(12);
        short length = b.getShort();
        if (length < 0 || length > b.remaining()) {
            return UNKNOWN;
        }
        String clientId = new String(frame, b.position(), length, StandardCharsets.UTF_8);
        if (!clientId.startsWith(REPLICA_PREFIX)) {
            return UNKNOWN;
        }
        try {
            return Integer.parseInt(clientId.substring(REPLICA_PREFIX.length()));
        } catch (NumberFormatException e) {
            return UNKNOWN;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        open.keySet().forEach(this::closeQuietly);
    }
}
