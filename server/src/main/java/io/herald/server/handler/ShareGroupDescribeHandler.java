package io.herald.server.handler;

import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import io.herald.server.share.ShareCoordinator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ShareGroupDescribeRequestData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ShareGroupDescribe (key 77, KIP-932): the state, epoch, members and assignments of share groups.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ShareGroupDescribeHandler implements ApiHandler<ShareGroupDescribeRequestData> {

    private final ShareCoordinator coordinator;

    public ShareGroupDescribeHandler(ShareCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SHARE_GROUP_DESCRIBE;
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<ShareGroupDescribeResponseData> handle(
            RequestContext context, ShareGroupDescribeRequestData request) {
        List<String> allowed = request.groupIds().stream()
                .filter(g -> context.authorized(AclOperation.DESCRIBE, ResourceType.GROUP, g))
                .toList();
        List<ShareGroupDescribeResponseData.DescribedGroup> described = new ArrayList<>(coordinator.describe(allowed));
        request.groupIds().stream()
                .filter(g -> !allowed.contains(g))
                .forEach(g -> described.add(new ShareGroupDescribeResponseData.DescribedGroup()
                        .setGroupId(g)
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
        return CompletableFuture.completedFuture(new ShareGroupDescribeResponseData().setGroups(described));
    }
}
