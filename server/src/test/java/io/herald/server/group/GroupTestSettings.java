package io.herald.server.group;

import java.util.HashMap;
import java.util.Map;

/** Broker settings that keep group tests fast: no initial rebalance delay, short heartbeats, few coordinator shards. */
final class GroupTestSettings {

    private GroupTestSettings() {}

    static Map<String, String> broker() {
        Map<String, String> s = new HashMap<>();
        s.put("group.initial.rebalance.delay.ms", "0");
        s.put("offsets.topic.num.partitions", "3");
        s.put("group.min.session.timeout.ms", "500");
        s.put("group.consumer.heartbeat.interval.ms", "200");
        s.put("group.consumer.min.heartbeat.interval.ms", "100");
        return s;
    }
}
