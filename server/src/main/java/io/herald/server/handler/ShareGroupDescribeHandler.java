package io.herald.server.handler;

import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import io.herald.server.share.ShareCoordinator;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ShareGroupDescribeRequestData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

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
        return CompletableFuture.completedFuture(
                new ShareGroupDescribeResponseData().setGroups(coordinator.describe(request.groupIds())));
    }
}
