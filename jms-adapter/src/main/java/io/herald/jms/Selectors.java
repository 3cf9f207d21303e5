package io.herald.jms;

import jakarta.jms.InvalidSelectorException;

/**
 * Message selectors. Herald does not evaluate selectors yet (the design puts them in the broker, so that a queue
 * message one consumer's selector rejects stays available to the others); a consumer asking for one is refused at
 * creation rather than given every message.
 *
 * <p>Thread-safety: stateless.
 */
final class Selectors {

    private Selectors() {}

    /**
     * The selector to use: null for none.
     *
     * @throws InvalidSelectorException for any non-empty selector, saying that they are not supported yet
     */
    static String check(String selector) throws InvalidSelectorException {
        if (selector == null || selector.isBlank()) {
            return null;
        }
        throw new InvalidSelectorException(
                "Message selectors are not supported by Herald yet (selector: " + selector + ")");
    }
}
