package io.herald.server.share;

/**
 * Where share state lives in {@code __share_group_state}, for tests outside this package that need a group whose
 * configs fall on a partition a given broker leads.
 *
 * <p>Thread-safety: stateless.
 */
public final class StatePartitions {

    private StatePartitions() {}

    /** The partition, of {@code count}, that holds the configs of share group {@code group}. */
    public static int ofGroupConfigs(String group, int count) {
        return ShareStateStore.partitionOf(ShareStateRecords.key(new ShareStateRecords.GroupConfigsKey(group)), count);
    }
}
