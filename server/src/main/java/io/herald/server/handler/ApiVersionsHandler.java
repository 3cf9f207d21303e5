package io.herald.server.handler;

import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * ApiVersions (key 18): the APIs and versions this broker serves, exactly the registered handlers. Requests whose
 * version the broker does not know are answered by the dispatcher (v0 with UNSUPPORTED_VERSION).
 *
 * <p>Thread-safety: stateless.
 */
public final class ApiVersionsHandler implements ApiHandler<ApiVersionsRequestData> {

    private final Supplier<ApiVersionCollection> versions;

    public ApiVersionsHandler(Supplier<ApiVersionCollection> versions) {
        this.versions = versions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.API_VERSIONS;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<ApiVersionsResponseData> handle(RequestContext context, ApiVersionsRequestData request) {
        ApiVersionsResponseData response = new ApiVersionsResponseData().setApiKeys(versions.get());
        if (context.version() >= 3 && !validName(request.clientSoftwareName(), request.clientSoftwareVersion())) {
            response.setErrorCode(Errors.INVALID_REQUEST.code());
        }
        return CompletableFuture.completedFuture(response);
    }

    /** KIP-511: the client software name and version must be non-empty and of [a-zA-Z0-9._-]. */
    private static boolean validName(String name, String version) {
        return name != null
                && version != null
                && name.matches("[a-zA-Z0-9](?:[a-zA-Z0-9\\-.]*[a-zA-Z0-9])?")
                && version.matches("[a-zA-Z0-9](?:[a-zA-Z0-9\\-.]*[a-zA-Z0-9])?");
    }
}
