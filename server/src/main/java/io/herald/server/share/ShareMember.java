package io.herald.server.share;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;

/**
 * A member of a share group as its last heartbeat left it.
 *
 * <p>Thread-safety: guarded by its group's lock.
 */
final class ShareMember {

    final String memberId;
    final String clientId;
    final String clientHost;
    String rackId;
    List<String> subscribedTopics;
    int epoch;
    long deadlineMs;
    Map<Uuid, Set<Integer>> assignment = Map.of();

    ShareMember(String memberId, String clientId, String clientHost) {
        this.memberId = memberId;
        this.clientId = clientId;
        this.clientHost = clientHost;
    }
}
