package io.herald.console.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.console.http.BadRequestException;
import io.herald.console.http.Json;
import io.herald.console.http.Params;
import io.herald.console.http.Routes;
import io.herald.server.api.BrokerAdmin;
import io.herald.server.api.SecurityAdmin;
import io.undertow.server.HttpServerExchange;
import org.apache.kafka.common.errors.ResourceNotFoundException;

/**
 * Security: {@code GET /api/security} (whether it is on, and how), {@code GET|POST /api/security/users}, {@code DELETE
 * /api/security/users/{user}?confirm={user}}, {@code GET|POST /api/security/acls} and {@code POST
 * /api/security/acls/remove}.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class SecurityResource {

    /** The security page's header: {@code available} is whether the broker has security on. */
    public record SecurityView(String feature, boolean available, String reason, SecurityAdmin.Status status) {}

    static final String OFF = "Security is not enabled on this broker: no listener authenticates clients (SASL) and no"
            + " ACLs are enforced (authorizer.class.name is empty), so every client may do everything. See"
            + " docs/security.md.";

    private final BrokerAdmin admin;

    public SecurityResource(BrokerAdmin admin) {
        this.admin = admin;
    }

    public void register(Routes routes) {
        routes.get("/api/security", exchange -> view());
        routes.get("/api/security/users", exchange -> admin.security().users());
        routes.post("/api/security/users", this::setPassword);
        routes.delete("/api/security/users/{user}", this::deleteUser);
        routes.get("/api/security/acls", exchange -> admin.security().acls());
        routes.post(
                "/api/security/acls",
                exchange -> new Routes.Created(admin.security().addAcl(acl(exchange))));
        routes.post("/api/security/acls/remove", this::removeAcl);
    }

    private SecurityView view() {
        SecurityAdmin.Status status = admin.security().status();
        return new SecurityView("security", status.enabled(), status.enabled() ? "" : OFF, status);
    }

    private Object setPassword(HttpServerExchange exchange) throws Exception {
        JsonNode body = Json.body(exchange);
        String name = Params.text(body, "name").map(String::strip).orElse("");
        String mechanism = Params.text(body, "mechanism").orElse("SCRAM-SHA-512");
        String password = Params.text(body, "password").orElse("");
        int iterations =
                Params.intField(body, "iterations", 1, Integer.MAX_VALUE).orElse(8192);
        admin.security().setPassword(name, mechanism, password, iterations);
        return new Routes.Created(admin.security().users().stream()
                .filter(u -> u.name().equals(name))
                .findFirst()
                .orElseThrow());
    }

    private Object deleteUser(HttpServerExchange exchange) {
        String user = Params.required(exchange, "user");
        if (!Params.string(exchange, "confirm").orElse("").equals(user)) {
            throw new BadRequestException(
                    "To delete user '" + user + "', confirm with its name (confirm=" + user + ")");
        }
        if (!admin.security().deleteUser(user)) {
            throw new ResourceNotFoundException("User '" + user + "' does not exist.");
        }
        return null;
    }

    private Object removeAcl(HttpServerExchange exchange) throws Exception {
        SecurityAdmin.Acl acl = acl(exchange);
        if (!admin.security().removeAcl(acl)) {
            throw new ResourceNotFoundException("There is no such ACL: " + acl);
        }
        return null;
    }

    private static SecurityAdmin.Acl acl(HttpServerExchange exchange) throws Exception {
        JsonNode body = Json.body(exchange);
        return new SecurityAdmin.Acl(
                field(body, "principal"),
                Params.text(body, "host").orElse("*"),
                field(body, "resourceType"),
                field(body, "resourceName"),
                Params.text(body, "patternType").orElse("LITERAL"),
                field(body, "operation"),
                Params.text(body, "permission").orElse("ALLOW"));
    }

    private static String field(JsonNode body, String name) {
        return Params.text(body, name).orElseThrow(() -> new BadRequestException("The ACL needs a '" + name + "'"));
    }
}
