package io.herald.server.handler;

import io.herald.security.acl.AclAuthorizer;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import io.herald.server.security.AccessControl;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsRequestData.AclCreation;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.CreateAclsResponseData.AclCreationResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateAclsRequest;

/**
 * CreateAcls (key 30): adds ACL bindings, each validated on its own (an invalid one gets INVALID_REQUEST with the
 * reason; the others are still added). Needs ALTER on the cluster; without an authorizer, SECURITY_DISABLED.
 *
 * <p>Thread-safety: stateless; the authorizer serialises changes.
 */
public final class CreateAclsHandler implements ApiHandler<CreateAclsRequestData> {

    private final AccessControl access;

    public CreateAclsHandler(AccessControl access) {
        this.access = access;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_ACLS;
    }

    @Override
    public short maxVersion() {
        return 3;
    }

    @Override
    public CompletableFuture<CreateAclsResponseData> handle(RequestContext context, CreateAclsRequestData request) {
        Optional<Errors> refusal = AclAdmin.refusal(context, access, AclOperation.ALTER);
        List<AclCreationResult> results = new ArrayList<>();
        if (refusal.isPresent()) {
            request.creations()
                    .forEach(c -> results.add(new AclCreationResult()
                            .setErrorCode(refusal.get().code())
                            .setErrorMessage(AclAdmin.message(refusal.get()))));
            return CompletableFuture.completedFuture(new CreateAclsResponseData().setResults(results));
        }
        AclAuthorizer authorizer = access.authorizer().orElseThrow();
        List<AclBinding> bindings = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (AclCreation c : request.creations()) {
            try {
                bindings.add(CreateAclsRequest.aclBinding(c));
                positions.add(results.size());
                results.add(new AclCreationResult());
            } catch (IllegalArgumentException e) {
                results.add(new AclCreationResult()
                        .setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Invalid ACL: " + e.getMessage()));
            }
        }
        List<Optional<String>> outcomes = authorizer.create(bindings);
        for (int i = 0; i < outcomes.size(); i++) {
            Optional<String> error = outcomes.get(i);
            if (error.isPresent()) {
                results.get(positions.get(i))
                        .setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Invalid ACL: " + error.get());
            }
        }
        return CompletableFuture.completedFuture(new CreateAclsResponseData().setResults(results));
    }
}
