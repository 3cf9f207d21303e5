package io.herald.server.group;

import java.util.Locale;

/** The kinds of group, named as ListGroups (v5+) and the admin client name them. */
public enum GroupType {
    CLASSIC,
    CONSUMER;

    /** {@code classic} or {@code consumer}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
