package io.herald.selector;

/**
 * What a selector's identifiers evaluate to for one message.
 *
 * <p>Thread-safety: as the implementation says; a selector calls it from the evaluating thread only.
 */
@FunctionalInterface
public interface SelectorValues {

    /** The value of identifier {@code name}: a String, Long, Double or Boolean, or null if absent. */
    Object value(String name);
}
