package io.herald.server.handler;

import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import io.herald.server.security.AccessControl;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsRequestData.DeleteAclsFilter;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsFilterResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.DeleteAclsResponse;

/**
 * DeleteAcls (key 31): removes the bindings each filter matches and lists them per filter. Needs ALTER on the cluster.
 *
 * <p>Thread-safety: stateless; the authorizer serialises changes.
 */
public final class DeleteAclsHandler implements ApiHandler<DeleteAclsRequestData> {

    private final AccessControl access;

    public DeleteAclsHandler(AccessControl access) {
        this.access = access;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_ACLS;
    }

    @Override
    public short maxVersion() {
        return 3;
    }

    @Override
    public CompletableFuture<DeleteAclsResponseData> handle(RequestContext context, DeleteAclsRequestData request) {
        Optional<Errors> refusal = AclAdmin.refusal(context, access, AclOperation.ALTER);
        List<DeleteAclsFilterResult> results = new ArrayList<>();
        if (refusal.isPresent()) {
            request.filters()
                    .forEach(f -> results.add(new DeleteAclsFilterResult()
                            .setErrorCode(refusal.get().code())
                            .setErrorMessage(AclAdmin.message(refusal.get()))));
            return CompletableFuture.completedFuture(new DeleteAclsResponseData().setFilterResults(results));
        }
        List<AclBindingFilter> filters = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (DeleteAclsFilter f : request.filters()) {
            try {
                filters.add(AclAdmin.filter(
                        f.resourceTypeFilter(),
                        f.resourceNameFilter(),
                        f.patternTypeFilter(),
                        f.principalFilter(),
                        f.hostFilter(),
                        f.operation(),
                        f.permissionType()));
                positions.add(results.size());
                results.add(new DeleteAclsFilterResult());
            } catch (IllegalArgumentException e) {
                results.add(new DeleteAclsFilterResult()
                        .setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Invalid ACL filter: " + e.getMessage()));
            }
        }
        List<List<AclBinding>> removed = access.authorizer().orElseThrow().delete(filters);
        for (int i = 0; i < removed.size(); i++) {
            results.get(positions.get(i))
                    .setMatchingAcls(removed.get(i).stream()
                            .map(b -> DeleteAclsResponse.matchingAcl(b, ApiError.NONE))
                            .toList());
        }
        return CompletableFuture.completedFuture(new DeleteAclsResponseData().setFilterResults(results));
    }
}
