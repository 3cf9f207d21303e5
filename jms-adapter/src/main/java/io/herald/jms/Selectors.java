package io.herald.jms;

import io.herald.selector.MessageSelector;
import jakarta.jms.InvalidSelectorException;

/**
 * Message selectors on the client side: normalised, and parsed only where nothing may change before an invalid one is
 * refused (a browser, a subscription's replacement). The broker parses and evaluates them (Herald extension
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

    /**
     * The selector {@code text} (normalised, not null) compiled, for a check before the broker is involved.
     *
     * @throws InvalidSelectorException if it does not parse
     */
    static MessageSelector compile(String text) throws InvalidSelectorException {
        try {
            return MessageSelector.parse(text);
        } catch (MessageSelector.InvalidSelectorException e) {
            InvalidSelectorException invalid = new InvalidSelectorException(e.getMessage());
            invalid.initCause(e);
            throw invalid;
        }
    }
}
