package io.herald.console.auth;

/**
 * What a console user may do, each role including the ones before it: a {@link #VIEWER} looks, an {@link #OPERATOR}
 * also changes topics, messages, groups and JMS queues, an {@link #ADMIN} also manages users and ACLs. How the ACLs
 * give a role: {@link RoleMapping}.
 *
 * <p>Thread-safety: immutable.
 */
public enum Role {
    VIEWER,
    OPERATOR,
    ADMIN;

    /** Whether this role may do what {@code required} may. */
    public boolean includes(Role required) {
        return compareTo(required) >= 0;
    }
}
