package io.herald.server.handler;

import io.herald.security.acl.AclAuthorizer;
import io.herald.server.group.GroupCoordinator;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ListGroups (key 16): every group this broker coordinates, of both protocols, and the share groups (KIP-932, type and
 * protocol type {@code share}, as {@code Admin.listShareGroups} asks for them); v4+ filters by state (KIP-518), v5+ by
 * type ({@code classic}, {@code consumer}, {@code share}; KIP-848). Share groups are listed from v5 on or when no
 * filter could exclude them (an older client knows no group types).
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ListGroupsHandler implements ApiHandler<ListGroupsRequestData> {

    private static final String SHARE = "share";

    private final GroupCoordinator groups;
    private final Supplier<Map<String, String>> shareGroups;

    /** @param shareGroups the share groups with their states ({@code Empty}, {@code Stable}) */
    public ListGroupsHandler(GroupCoordinator groups, Supplier<Map<String, String>> shareGroups) {
        this.groups = groups;
        this.shareGroups = shareGroups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_GROUPS;
    }

    @Override
    public short maxVersion() {
        return 5;
    }

    @Override
    public CompletableFuture<ListGroupsResponseData> handle(RequestContext context, ListGroupsRequestData request) {
        List<String> states = context.version() >= 4 ? request.statesFilter() : List.of();
        List<String> types = context.version() >= 5 ? request.typesFilter() : List.of();
        ListGroupsResponseData all = groups.listGroups(states, types);
        Set<String> wantedStates = lower(states);
        Set<String> wantedTypes = lower(types);
        if (wantedTypes.isEmpty() || wantedTypes.contains(SHARE)) {
            shareGroups.get().entrySet().stream()
                    .filter(g -> wantedStates.isEmpty()
                            || wantedStates.contains(g.getValue().toLowerCase(Locale.ROOT)))
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(g -> all.groups()
                            .add(new ListGroupsResponseData.ListedGroup()
                                    .setGroupId(g.getKey())
                                    .setProtocolType(SHARE)
                                    .setGroupState(g.getValue())
                                    .setGroupType(SHARE)));
        }
        if (!context.visible(AclOperation.DESCRIBE, ResourceType.CLUSTER, AclAuthorizer.CLUSTER_NAME)) {
            all.groups().removeIf(g -> !context.visible(AclOperation.DESCRIBE, ResourceType.GROUP, g.groupId()));
        }
        return CompletableFuture.completedFuture(all);
    }

    private static Set<String> lower(List<String> values) {
        return values == null
                ? Set.of()
                : values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
