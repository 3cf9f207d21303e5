package io.herald.server.handler;

import io.herald.security.acl.AclAuthorizer;
import io.herald.server.group.GroupCoordinator;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.util.HashMap;
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
 * filter could exclude them (an older client knows no group types). In a cluster a share group is known where its
 * members are (the coordinator) and where its share partitions are (their leaders): each broker asked lists the share
 * groups of the whole cluster ({@link SharePeers}), Stable if any broker has members of it, so that the same group
 * listed by every broker (as {@code Admin.listGroups} asks them all) has one state.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ListGroupsHandler implements ApiHandler<ListGroupsRequestData> {

    private static final String SHARE = "share";
    /** The version of the ListGroups passed on: the first with a type filter. */
    private static final short SHARE_VERSION = 5;

    private final GroupCoordinator groups;
    private final Supplier<Map<String, String>> shareGroups;
    private final SharePeers peers;

    /** @param shareGroups the share groups this broker knows, with their states ({@code Empty}, {@code Stable}) */
    public ListGroupsHandler(GroupCoordinator groups, Supplier<Map<String, String>> shareGroups, SharePeers peers) {
        this.groups = groups;
        this.shareGroups = shareGroups;
        this.peers = peers;
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
        List<String> types = context.version() >= 5 ? request.typesFilter() : List.of();
        Set<String> wantedTypes = lower(types);
        if ((wantedTypes.isEmpty() || wantedTypes.contains(SHARE)) && peers.passesOn(context)) {
            ListGroupsRequestData shareOnly = new ListGroupsRequestData().setTypesFilter(List.of(SHARE));
            return peers.run(() -> {
                Map<String, String> known = new HashMap<>(shareGroups.get());
                for (ListGroupsResponseData r :
                        SharePeers.<ListGroupsResponseData>answered(peers.askAll(shareOnly, SHARE_VERSION))) {
                    r.groups().forEach(g -> known.merge(g.groupId(), g.groupState(), ListGroupsHandler::livelier));
                }
                return answer(context, request, known);
            });
        }
        return CompletableFuture.completedFuture(answer(context, request, shareGroups.get()));
    }

    /** Of two brokers' states of a share group, the one that has members ({@code Empty} where none has). */
    private static String livelier(String a, String b) {
        return a.equalsIgnoreCase("Empty") ? b : a;
    }

    private ListGroupsResponseData answer(
            RequestContext context, ListGroupsRequestData request, Map<String, String> shareGroupStates) {
        List<String> states = context.version() >= 4 ? request.statesFilter() : List.of();
        List<String> types = context.version() >= 5 ? request.typesFilter() : List.of();
        ListGroupsResponseData all = groups.listGroups(states, types);
        Set<String> wantedStates = lower(states);
        Set<String> wantedTypes = lower(types);
        if (wantedTypes.isEmpty() || wantedTypes.contains(SHARE)) {
            shareGroupStates.entrySet().stream()
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
        return all;
    }

    private static Set<String> lower(List<String> values) {
        return values == null
                ? Set.of()
                : values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
