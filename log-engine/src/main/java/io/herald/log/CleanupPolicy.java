package io.herald.log;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What the log does with old data: {@code delete} by retention, {@code compact} to the newest record per key. */
public enum CleanupPolicy {
    DELETE,
    COMPACT;

    /** Parses Kafka's comma-separated {@code cleanup.policy} value, e.g. {@code compact,delete}. */
    public static Set<CleanupPolicy> parse(String text) {
        EnumSet<CleanupPolicy> set = EnumSet.noneOf(CleanupPolicy.class);
        for (String part : text.split(",")) {
            String p = part.trim();
            if (!p.isEmpty()) {
                set.add(CleanupPolicy.valueOf(p.toUpperCase(Locale.ROOT)));
            }
        }
        if (set.isEmpty()) {
            throw new IllegalArgumentException("empty cleanup.policy");
        }
        return Set.copyOf(set);
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
