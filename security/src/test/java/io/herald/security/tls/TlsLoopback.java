package io.herald.security.tls;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/**
 * One TLS connection over 127.0.0.1 between a server engine and a client engine: handshake, then "ping" from the
 * client and "pong" from the server, each side on its own thread, every step bounded by timeouts.
 */
final class TlsLoopback {

    static final int TIMEOUT_MS = 10_000;

    private TlsLoopback() {}

    /** What each side saw. */
    record Outcome(Side server, Side client) {
        boolean succeeded() {
            return server.error.isEmpty() && client.error.isEmpty();
        }

        @Override
        public String toString() {
            return "server: " + server + "\nclient: " + client;
        }
    }

    /** One side's session after a handshake, or its failure; the server side also has the mapped principal. */
    record Side(Optional<SSLSession> session, Optional<Throwable> error, Optional<String> principal) {

        static Side failed(Throwable e) {
            return new Side(Optional.empty(), Optional.of(e), Optional.empty());
        }

        X509Certificate peerCertificate() throws Exception {
            return (X509Certificate) session.orElseThrow().getPeerCertificates()[0];
        }

        @Override
        public String toString() {
            return error.map(e -> "failed: " + e)
                    .orElseGet(() -> "ok " + session.get().getProtocol());
        }
    }

    /** A connection from a client engine of {@code client} (to {@code host}) to a server engine of {@code server}. */
    static Outcome connect(SslContextFactory server, SslContextFactory client, String host) throws Exception {
        return connect(server, port -> client.createClientEngine(host, port));
    }

    static Outcome connect(SslContextFactory server, Function<Integer, SSLEngine> clientEngine) throws Exception {
        return connect(
                socket -> server.createServerEngine(socket.getInetAddress().getHostAddress(), socket.getPort()),
                server.principalMapper(),
                clientEngine);
    }

    /**
     * A connection from a client engine to the server engine {@code serverEngine} makes for the accepted socket, the
     * client's principal named by {@code mapper}.
     */
    static Outcome connect(
            Function<Socket, SSLEngine> serverEngine,
            SslPrincipalMapper mapper,
            Function<Integer, SSLEngine> clientEngine)
            throws Exception {
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.setSoTimeout(TIMEOUT_MS);
            CompletableFuture<Side> serverSide =
                    CompletableFuture.supplyAsync(() -> serve(serverEngine, mapper, listener));
            Side clientSide = call(clientEngine.apply(listener.getLocalPort()), listener.getLocalPort());
            return new Outcome(serverSide.get(TIMEOUT_MS * 2L, TimeUnit.MILLISECONDS), clientSide);
        }
    }

    private static Side serve(
            Function<Socket, SSLEngine> serverEngine, SslPrincipalMapper mapper, ServerSocket listener) {
        try (Socket socket = listener.accept()) {
            socket.setSoTimeout(TIMEOUT_MS);
            SSLEngine engine = serverEngine.apply(socket);
            try (EngineConnection connection = new EngineConnection(engine, socket)) {
                SSLSession session = connection.handshake();
                String request = connection.receive(4);
                if (!request.equals("ping")) {
                    throw new IllegalStateException("expected ping, got " + request);
                }
                connection.send("pong");
                String principal = mapper.principalName(session);
                return new Side(Optional.of(session), Optional.empty(), Optional.of(principal));
            }
        } catch (Exception e) {
            return Side.failed(e);
        }
    }

    private static Side call(SSLEngine engine, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            try (EngineConnection connection = new EngineConnection(engine, socket)) {
                SSLSession session = connection.handshake();
                connection.send("ping");
                String reply = connection.receive(4);
                if (!reply.equals("pong")) {
                    throw new IllegalStateException("expected pong, got " + reply);
                }
                return new Side(Optional.of(session), Optional.empty(), Optional.empty());
            }
        } catch (Exception e) {
            return Side.failed(e);
        }
    }

    /** The causes of {@code e}, outermost first, as text: for assertions on why a handshake failed. */
    static String causes(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            text.append(t.getClass().getName())
                    .append(": ")
                    .append(t.getMessage())
                    .append("\n");
        }
        return text.toString();
    }

    static Throwable unwrap(Throwable e) {
        return e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    }
}
