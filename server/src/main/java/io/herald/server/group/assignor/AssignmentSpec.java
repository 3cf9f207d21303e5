package io.herald.server.group.assignor;

import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * What an assignor works from.
 *
 * @param members the members by member id, in a stable order
 * @param partitionCounts the partition count of every subscribed topic that exists
 */
public record AssignmentSpec(SortedMap<String, Member> members, Map<Uuid, Integer> partitionCounts) {

    public AssignmentSpec {
        members = new TreeMap<>(members);
        partitionCounts = Map.copyOf(partitionCounts);
    }

    /**
     * One member.
     *
     * @param instanceId its {@code group.instance.id}, or null
     * @param subscribedTopics the ids of the existing topics it subscribes to
     * @param currentTarget its previous target assignment, which an assignor keeps where it can
     */
    public record Member(String instanceId, Set<Uuid> subscribedTopics, Map<Uuid, Set<Integer>> currentTarget) {

        public Member {
            subscribedTopics = Set.copyOf(subscribedTopics);
            currentTarget = Map.copyOf(currentTarget);
        }

        /** The key members are ordered by: the instance id of a static member (stable across restarts), else the id. */
        String sortKey(String memberId) {
            return instanceId != null ? "0" + instanceId : "1" + memberId;
        }
    }
}
