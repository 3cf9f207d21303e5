/**
 * The admin console: an Undertow HTTP server inside the broker process that serves the web UI, the REST API
 * ({@code /api/...}, {@code docs/rest-api.md}) and the Prometheus endpoint ({@code /metrics}) from the same port, and
 * the broker's metrics over JMX.
 *
 * <p>{@link io.herald.console.ConsoleExtension} is what the broker starts (a {@link
 * io.herald.server.api.BrokerExtension} found through {@link java.util.ServiceLoader}), on the addresses of the
 * broker setting {@code admin.listeners}; {@link io.herald.console.AdminConsole} is the running console.
 */
package io.herald.console;
