package io.herald.server.cluster;

import java.util.List;

/**
 * A leader's proposal to change the in-sync replicas of a partition it leads (Kafka's AlterPartition): it applies only
 * if the partition still has this leader, leader epoch and partition epoch, so a deposed leader or a proposal made
 * against an old state changes nothing.
 *
 * @param topic the topic
 * @param partition the partition index
 * @param leader the proposing leader
 * @param leaderEpoch the leader epoch it leads in
 * @param partitionEpoch the partition epoch its view of the ISR is from
 * @param isr the proposed ISR (contains the leader)
 */
public record IsrChange(
        String topic, int partition, int leader, int leaderEpoch, int partitionEpoch, List<Integer> isr) {

    public IsrChange {
        isr = List.copyOf(isr);
    }
}
