package io.herald.server.handler;

import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import io.herald.server.security.AccessControl;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeAclsResponse;

/**
 * DescribeAcls (key 29): the ACL bindings a filter matches. Needs DESCRIBE on the cluster.
 *
 * <p>Thread-safety: stateless.
 */
public final class DescribeAclsHandler implements ApiHandler<DescribeAclsRequestData> {

    private final AccessControl access;

    public DescribeAclsHandler(AccessControl access) {
        this.access = access;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_ACLS;
    }

    @Override
    public short maxVersion() {
        return 3;
    }

    @Override
    public CompletableFuture<DescribeAclsResponseData> handle(RequestContext context, DescribeAclsRequestData r) {
        Optional<Errors> refusal = AclAdmin.refusal(context, access, AclOperation.DESCRIBE);
        if (refusal.isPresent()) {
            return CompletableFuture.completedFuture(new DescribeAclsResponseData()
                    .setErrorCode(refusal.get().code())
                    .setErrorMessage(AclAdmin.message(refusal.get())));
        }
        AclBindingFilter filter;
        try {
            filter = AclAdmin.filter(
                    r.resourceTypeFilter(),
                    r.resourceNameFilter(),
                    r.patternTypeFilter(),
                    r.principalFilter(),
                    r.hostFilter(),
                    r.operation(),
                    r.permissionType());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new DescribeAclsResponseData()
                    .setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("Invalid ACL filter: " + e.getMessage()));
        }
        return CompletableFuture.completedFuture(new DescribeAclsResponseData()
                .setResources(DescribeAclsResponse.aclsResources(
                        access.authorizer().orElseThrow().describe(filter))));
    }
}
