package io.herald.server.queue;

/**
 * A compiled JMS message selector as the broker uses it: the language itself is {@link
 * io.herald.selector.MessageSelector} (module jms-selector, shared with the JMS provider's QueueBrowser); this
 * evaluates it against the broker's {@link MessageView} of a record and keeps the broker's exception type.
 *
 * <p>A record is selected only when the expression is TRUE: FALSE and UNKNOWN (a missing property, a type mismatch)
 * both reject it, as the spec says.
 *
 * <p>Thread-safety: immutable; {@link #matches} may be called concurrently.
 */
public final class MessageSelector {

    private final io.herald.selector.MessageSelector selector;

    private MessageSelector(io.herald.selector.MessageSelector selector) {
        this.selector = selector;
    }

    /**
     * Compiles {@code selector}.
     *
     * @throws InvalidSelectorException naming what is wrong and where
     */
    public static MessageSelector parse(String selector) {
        try {
            return new MessageSelector(io.herald.selector.MessageSelector.parse(selector));
        } catch (io.herald.selector.MessageSelector.InvalidSelectorException e) {
            throw new InvalidSelectorException(e.getMessage());
        }
    }

    public boolean matches(MessageView view) {
        return selector.matches(view.values());
    }

    public String text() {
        return selector.text();
    }

    /** A selector that does not parse. */
    public static final class InvalidSelectorException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidSelectorException(String message) {
            super(message);
        }
    }
}
