package io.herald.console;

import io.herald.console.auth.ConsoleGuard;
import io.herald.console.auth.LoginResource;
import io.herald.console.auth.LoginThrottle;
import io.herald.console.auth.SessionStore;
import io.herald.console.http.Routes;
import io.herald.console.metrics.ConsoleMetrics;
import io.herald.console.metrics.TrafficHistory;
import io.herald.console.rest.ClusterResource;
import io.herald.console.rest.GroupResource;
import io.herald.console.rest.JmsResource;
import io.herald.console.rest.LiveResource;
import io.herald.console.rest.MessageResource;
import io.herald.console.rest.SecurityResource;
import io.herald.console.rest.TopicResource;
import io.herald.server.api.BrokerAdmin;
import io.herald.server.api.BrokerExtension;
import io.herald.server.api.ConsoleTls;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running admin console: one Undertow server whose listeners serve the web UI ({@code /}, static files from the
 * jar's {@code console/} folder, Chart.js from its WebJar under {@code /webjars/}), the REST API ({@code /api/}) and the
 * Prometheus endpoint ({@code /metrics}), all behind the {@link ConsoleGuard} (login, CSRF and roles when the broker has
 * security on), over HTTP or HTTPS ({@code admin.listeners}); the broker's meters in Micrometer ({@link ConsoleMetrics});
 * and a sampler thread that records the traffic every second for the live charts and refreshes the cluster and group-lag gauges.
 *
 * <p>Threads: one Undertow I/O thread, a few worker threads for the API (requests touch the disk), one sampler, and
 * with HTTPS one that checks the key files for a replacement ({@link ConsoleTls}).
 *
 * <p>Thread-safety: {@link #start} and {@link #close} are called once each; the rest is thread-safe.
 */
public final class AdminConsole implements BrokerExtension.Running {

    private static final Logger log = LoggerFactory.getLogger(AdminConsole.class);
    private static final int WORKER_THREADS = 8;
    private static final int GROUP_REFRESH_TICKS = 5;

    private final Undertow server;
    private final ConsoleMetrics metrics;
    private final ScheduledExecutorService sampler;
    /** The HTTPS listeners' key material and its reloads; empty without an HTTPS listener. */
    private final Optional<ConsoleTls> tls;

    private AdminConsole(
            Undertow server, ConsoleMetrics metrics, ScheduledExecutorService sampler, Optional<ConsoleTls> tls) {
        this.server = server;
        this.metrics = metrics;
        this.sampler = sampler;
        this.tls = tls;
    }

    /**
     * Starts the console for {@code admin} on {@code listeners}.
     *
     * @throws IOException if a listener cannot be bound (the message names it)
     */
    public static AdminConsole start(BrokerAdmin admin, List<AdminListener> listeners) throws IOException {
        TrafficHistory history = new TrafficHistory(admin.metrics());
        ConsoleMetrics metrics = ConsoleMetrics.start(admin);
        Routes routes = new Routes();
        new ClusterResource(admin).register(routes);
        new TopicResource(admin, history).register(routes);
        new MessageResource(admin).register(routes);
        new GroupResource(admin).register(routes);
        new LiveResource(history, admin.clock()).register(routes);
        new JmsResource(admin).register(routes);
        new SecurityResource(admin).register(routes);
        boolean secured = admin.security().status().enabled();
        SessionStore sessions =
                new SessionStore(admin.clock(), admin.adminSessionIdleTimeoutMs(), admin.adminSessionMaxLifetimeMs());
        new LoginResource(secured, sessions, admin.security(), new LoginThrottle(admin.clock())).register(routes);
        HttpHandler prometheus = exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            exchange.getResponseSender().send(metrics.scrape());
        };
        routes.raw(Methods.GET, "/metrics", exchange -> exchange.dispatch(prometheus));

        Undertow.Builder builder = Undertow.builder()
                .setIoThreads(1)
                .setWorkerThreads(WORKER_THREADS)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, (long) io.herald.console.http.Json.MAX_BODY_BYTES + 1)
                .setHandler(new ConsoleGuard(secured, sessions, admin.security(), root(routes)));
        Optional<ConsoleTls> tls = Optional.empty();
        for (AdminListener l : listeners) {
            if (l.https()) {
                if (tls.isEmpty()) {
                    tls = Optional.of(consoleTls(admin, metrics));
                }
                builder.addHttpsListener(l.port(), l.bindHost(), tls.get().context());
            } else {
                builder.addHttpListener(l.port(), l.bindHost());
            }
        }
        Undertow server = builder.build();
        try {
            server.start();
        } catch (RuntimeException e) {
            metrics.close();
            tls.ifPresent(ConsoleTls::close);
            server.stop();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException(
                    "The admin console cannot listen on "
                            + listeners.stream()
                                    .map(l -> l.scheme() + "://" + l.host() + ":" + l.port())
                                    .collect(Collectors.joining(", "))
                            + ": " + cause.getMessage(),
                    e);
        }
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-console-sampler");
            t.setDaemon(true);
            return t;
        });
        AdminConsole console = new AdminConsole(server, metrics, sampler, tls);
        if (!secured) {
            log.info("The admin console needs no login: the broker has security off");
        } else if (listeners.stream().anyMatch(l -> !l.https() && !isLoopback(l.host()))) {
            log.warn("The admin console asks for passwords over plain HTTP on an address other machines reach:"
                    + " use an https:// admin listener (admin.listeners) so that they are not sent in the clear");
        }
        AtomicLong ticks = new AtomicLong();
        sampler.scheduleAtFixedRate(
                () -> {
                    try {
                        history.sample(admin.clock().millis());
                        metrics.refresh();
                        if (ticks.getAndIncrement() % GROUP_REFRESH_TICKS == 0) {
                            metrics.refreshGroups();
                        }
                    } catch (RuntimeException e) {
                        log.warn("Sampling the broker's metrics failed: {}", e.toString());
                    }
                },
                0,
                1,
                TimeUnit.SECONDS);
        log.info(
                "Admin console on {}",
                server.getListenerInfo().stream()
                        .map(i -> url(i.getProtcol(), (InetSocketAddress) i.getAddress()))
                        .collect(Collectors.joining(", ")));
        return console;
    }

    private static ConsoleTls consoleTls(BrokerAdmin admin, ConsoleMetrics metrics) throws IOException {
        try {
            return admin.security().consoleTls();
        } catch (IOException | RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    /** The address as a URL an operator can open: {@code localhost} for a wildcard address. */
    private static String url(String scheme, InetSocketAddress a) {
        if (a.getAddress() != null && a.getAddress().isAnyLocalAddress()) {
            return scheme + "://localhost:" + a.getPort() + " (every interface)";
        }
        String host = a.getHostString().contains(":") ? "[" + a.getHostString() + "]" : a.getHostString();
        return scheme + "://" + host + ":" + a.getPort();
    }

    private static HttpHandler root(Routes routes) {
        ClassLoader cl = AdminConsole.class.getClassLoader();
        ResourceHandler ui = Handlers.resource(new ClassPathResourceManager(cl, "console"))
                .setWelcomeFiles("index.html")
                .setCacheTime(0);
        ResourceHandler webjars = Handlers.resource(new ClassPathResourceManager(cl, "META-INF/resources/webjars"))
                .setCacheTime(3600);
        // The API's routes match the whole request path, so they are not mounted under a PathHandler prefix (which
        // would strip "/api" from the path the routing handler sees).
        HttpHandler api = routes.handler();
        PathHandler files = Handlers.path(ui).addPrefixPath("/webjars", webjars);
        return exchange -> {
            exchange.getResponseHeaders()
                    .put(HttpString.tryFromString("X-Content-Type-Options"), "nosniff")
                    .put(HttpString.tryFromString("X-Frame-Options"), "DENY")
                    .put(
                            HttpString.tryFromString("Content-Security-Policy"),
                            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
            String path = exchange.getRequestPath();
            if (path.equals("/api") || path.startsWith("/api/") || path.equals("/metrics")) {
                api.handleRequest(exchange);
            } else {
                files.handleRequest(exchange);
            }
        };
    }

    /** The addresses the console listens on, with the ports bound (useful when 0 was configured). */
    public List<InetSocketAddress> addresses() {
        return server.getListenerInfo().stream()
                .map(i -> (InetSocketAddress) i.getAddress())
                .toList();
    }

    /** Stops listening, the certificate reloads, the sampler and the metrics (JMX MBeans unregistered). */
    @Override
    public void close() {
        sampler.shutdownNow();
        try {
            server.stop();
        } catch (RuntimeException e) {
            log.warn("Stopping the admin console's HTTP server failed: {}", e.toString());
        }
        tls.ifPresent(ConsoleTls::close);
        try {
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.close();
    }
}
