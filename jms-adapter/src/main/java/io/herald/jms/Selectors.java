package io.herald.jms;

/**
 * Message selectors on the client side: only normalised here. The broker parses and evaluates them (Herald extension
 * {@code herald.v1.selector.<client id>}, see {@link HeraldConnection#registerSelector}), so that a queue message one
 * consumer's selector rejects stays available to the others, and an invalid one is reported at consumer creation.
 *
 * <p>Thread-safety: stateless.
 */
final class Selectors {

    private Selectors() {}

    /** The selector to register: null for none (null or blank). */
    static String normalize(String selector) {
        return selector == null || selector.isBlank() ? null : selector.trim();
    }
}
