package io.herald.server.share;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A share group's membership: its members and its epoch, which moves whenever a member joins, leaves or gets a
 * different assignment.
 *
 * <p>Design note: membership is not written down. After a broker restart members find themselves unknown, rejoin
 * with epoch 0 and get their assignment again; what matters across a restart, the state of the records, lives in the
 * share partitions.
 *
 * <p>Thread-safety: guarded by the group's monitor; callers synchronize on the group.
 */
final class ShareGroup {

    final String groupId;
    final Map<String, ShareMember> members = new LinkedHashMap<>();
    int epoch;
    boolean dead;

    ShareGroup(String groupId) {
        this.groupId = groupId;
    }

    String state() {
        if (dead) {
            return "Dead";
        }
        return members.isEmpty() ? "Empty" : "Stable";
    }
}
