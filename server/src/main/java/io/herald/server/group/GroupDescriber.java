package io.herald.server.group;

import io.herald.server.metadata.MetadataStore;
import io.herald.server.metadata.TopicInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ListGroups, DescribeGroups (classic groups), ConsumerGroupDescribe (consumer groups) and DeleteGroups, across the
 * shards, with Kafka's answers for each kind of group.
 *
 * <p>Thread-safety: thread-safe; each group is read under its shard's lock.
 */
final class GroupDescriber {

    private static final Logger log = LoggerFactory.getLogger(GroupDescriber.class);
    private static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;

    private final GroupCoordinator coordinator;
    private final MetadataStore metadata;

    GroupDescriber(GroupCoordinator coordinator, MetadataStore metadata) {
        this.coordinator = coordinator;
        this.metadata = metadata;
    }

    ListGroupsResponseData listGroups(List<String> statesFilter, List<String> typesFilter) {
        Set<String> states = lower(statesFilter);
        Set<String> types = lower(typesFilter);
        ListGroupsResponseData response = new ListGroupsResponseData();
        for (GroupShard shard : coordinator.shards()) {
            try {
                shard.call(() -> {
                    for (Group g : shard.groups().values()) {
                        if ((states.isEmpty() || states.contains(g.stateName().toLowerCase(Locale.ROOT)))
                                && (types.isEmpty() || types.contains(g.type().toString()))) {
                            response.groups()
                                    .add(new ListedGroup()
                                            .setGroupId(g.groupId())
                                            .setProtocolType(g.protocolType())
                                            .setGroupState(g.stateName())
                                            .setGroupType(g.type().toString()));
                        }
                    }
                    return null;
                });
            } catch (ApiException e) {
                response.setErrorCode(Errors.forException(e).code());
            }
        }
        return response;
    }

    private static Set<String> lower(List<String> values) {
        return values == null
                ? Set.of()
                : values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    List<DescribedGroup> describeGroups(short version, List<String> groupIds) {
        List<DescribedGroup> result = new ArrayList<>();
        for (String groupId : groupIds) {
            DescribedGroup d =
                    new DescribedGroup().setGroupId(groupId).setAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
            try {
                Optional<GroupShard> shard = coordinator.existingShardFor(groupId);
                Optional<Group> group = shard.isEmpty()
                        ? Optional.empty()
                        : shard.get().call(() -> describeClassic(shard.get(), groupId, d));
                if (group.isEmpty() || group.get() instanceof ConsumerGroup) {
                    d.setGroupState(ClassicGroup.State.DEAD.toString())
                            .setProtocolType("")
                            .setProtocolData("");
                    if (version >= 6) {
                        d.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                                .setErrorMessage(
                                        group.isEmpty()
                                                ? "Group " + groupId + " not found."
                                                : "Group " + groupId + " is not a classic group.");
                    }
                }
            } catch (ApiException e) {
                d.setErrorCode(Errors.forException(e).code()).setGroupState("").setProtocolType("");
            }
            result.add(d);
        }
        return result;
    }

    /** Fills {@code d} if the group is classic; returns the group found, of either kind. */
    private static Optional<Group> describeClassic(GroupShard shard, String groupId, DescribedGroup d) {
        Group g = shard.groups().get(groupId);
        if (!(g instanceof ClassicGroup group)) {
            return Optional.ofNullable(g);
        }
        boolean stable = group.isInState(ClassicGroup.State.STABLE);
        d.setGroupState(group.stateName())
                .setProtocolType(group.protocolType())
                .setProtocolData(stable ? group.protocolNameOrNull() : "");
        for (ClassicMember m : group.members()) {
            d.members()
                    .add(new DescribedGroupMember()
                            .setMemberId(m.memberId())
                            .setGroupInstanceId(m.groupInstanceId())
                            .setClientId(m.clientId())
                            .setClientHost(m.clientHost())
                            .setMemberMetadata(stable ? m.metadata(group.protocolNameOrNull()) : new byte[0])
                            .setMemberAssignment(stable ? m.assignment() : new byte[0]));
        }
        return Optional.of(group);
    }

    List<ConsumerGroupDescribeResponseData.DescribedGroup> consumerGroupDescribe(List<String> groupIds) {
        List<ConsumerGroupDescribeResponseData.DescribedGroup> result = new ArrayList<>();
        String defaultAssignor = coordinator.config().consumer().assignors().get(0);
        for (String groupId : groupIds) {
            ConsumerGroupDescribeResponseData.DescribedGroup d = new ConsumerGroupDescribeResponseData.DescribedGroup()
                    .setGroupId(groupId)
                    .setAuthorizedOperations(AUTHORIZED_OPERATIONS_OMITTED);
            try {
                Optional<GroupShard> shard = coordinator.existingShardFor(groupId);
                if (shard.isEmpty()) {
                    throw new GroupIdNotFoundException("Group " + groupId + " not found.");
                }
                shard.get().call(() -> {
                    Group g = shard.get().groups().get(groupId);
                    if (g == null) {
                        throw new GroupIdNotFoundException("Group " + groupId + " not found.");
                    }
                    if (!(g instanceof ConsumerGroup group)) {
                        throw new GroupIdNotFoundException("Group " + groupId + " is not a consumer group.");
                    }
                    describeConsumer(group, defaultAssignor, d);
                    return null;
                });
            } catch (ApiException e) {
                d.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
            }
            result.add(d);
        }
        return result;
    }

    private void describeConsumer(
            ConsumerGroup group, String defaultAssignor, ConsumerGroupDescribeResponseData.DescribedGroup d) {
        d.setGroupState(group.stateName())
                .setGroupEpoch(group.groupEpoch())
                .setAssignmentEpoch(group.assignmentEpoch())
                .setAssignorName(group.preferredAssignor(defaultAssignor));
        for (ConsumerMember m : group.members()) {
            d.members()
                    .add(new ConsumerGroupDescribeResponseData.Member()
                            .setMemberId(m.memberId())
                            .setInstanceId(m.client().instanceId())
                            .setRackId(m.client().rackId())
                            .setMemberEpoch(m.memberEpoch())
                            .setClientId(m.client().clientId())
                            .setClientHost(m.client().clientHost())
                            .setSubscribedTopicNames(
                                    new ArrayList<>(m.subscription().topicNames()))
                            .setSubscribedTopicRegex(m.subscription().regex())
                            .setAssignment(assignment(m.reconciliation().assigned()))
                            .setTargetAssignment(assignment(group.targetAssignment(m.memberId())))
                            .setMemberType((byte) 1));
        }
    }

    private ConsumerGroupDescribeResponseData.Assignment assignment(Map<Uuid, Set<Integer>> partitions) {
        ConsumerGroupDescribeResponseData.Assignment a = new ConsumerGroupDescribeResponseData.Assignment();
        partitions.forEach((id, ps) -> metadata.topic(id)
                .map(TopicInfo::name)
                .ifPresent(name -> a.topicPartitions()
                        .add(new ConsumerGroupDescribeResponseData.TopicPartitions()
                                .setTopicId(id)
                                .setTopicName(name)
                                .setPartitions(new ArrayList<>(ps)))));
        return a;
    }

    List<DeletableGroupResult> deleteGroups(List<String> groupIds) {
        List<DeletableGroupResult> result = new ArrayList<>();
        for (String groupId : groupIds) {
            DeletableGroupResult r = new DeletableGroupResult().setGroupId(groupId);
            try {
                if (groupId == null || groupId.isEmpty()) {
                    throw new org.apache.kafka.common.errors.InvalidGroupIdException("The group id is empty");
                }
                GroupShard shard = coordinator
                        .existingShardFor(groupId)
                        .orElseThrow(() -> new GroupIdNotFoundException("Group " + groupId + " not found."));
                shard.call(() -> {
                    delete(shard, groupId);
                    return null;
                });
            } catch (ApiException e) {
                r.setErrorCode(Errors.forException(e).code());
            }
            result.add(r);
        }
        return result;
    }

    private static void delete(GroupShard shard, String groupId) {
        Group g = shard.groups().get(groupId);
        if (g == null) {
            throw new GroupIdNotFoundException("Group " + groupId + " not found.");
        }
        if (g instanceof ClassicGroup cg && cg.isInState(ClassicGroup.State.DEAD)) {
            throw new GroupIdNotFoundException("Group " + groupId + " not found.");
        }
        boolean empty = g instanceof ClassicGroup cg ? cg.isInState(ClassicGroup.State.EMPTY) : g.isEmpty();
        if (!empty) {
            throw new GroupNotEmptyException("Group " + groupId + " is not empty.");
        }
        try {
            shard.deleteGroup(groupId);
            log.info("Deleted group {} and its offsets", groupId);
        } catch (IOException e) {
            log.error("Could not delete group {}", groupId, e);
            throw new CoordinatorNotAvailableException("Could not write to " + GroupConfig.OFFSETS_TOPIC);
        }
    }
}
