package io.herald.jms;

import jakarta.jms.Destination;
import jakarta.jms.InvalidDestinationException;
import java.io.Serializable;
import java.util.Objects;

/**
 * A queue or topic: the name of the Herald topic that holds its messages.
 *
 * <p>Thread-safety: immutable.
 */
abstract class HeraldDestination implements Destination, Serializable {

    private static final long serialVersionUID = 1L;
    private static final int MAX_NAME = 249;

    private final String name;

    HeraldDestination(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    String name() {
        return name;
    }

    /** {@code queue://name} or {@code topic://name}: how {@code JMSReplyTo} travels in a record header. */
    abstract String uri();

    /**
     * The destination a {@link #uri()} names.
     *
     * @throws IllegalArgumentException if it names neither kind
     */
    static HeraldDestination parse(String uri) {
        if (uri.startsWith("queue://")) {
            return new HeraldQueue(uri.substring("queue://".length()));
        }
        if (uri.startsWith("topic://")) {
            return new HeraldTopic(uri.substring("topic://".length()));
        }
        if (uri.startsWith("temp-queue://")) {
            return new HeraldTemporaryQueue(uri.substring("temp-queue://".length()), null);
        }
        if (uri.startsWith("temp-topic://")) {
            return new HeraldTemporaryTopic(uri.substring("temp-topic://".length()), null);
        }
        throw new IllegalArgumentException("Not a destination: " + uri);
    }

    /**
     * Checks that {@code d} is one of ours with a legal Herald topic name.
     *
     * @throws InvalidDestinationException naming what is wrong
     */
    static HeraldDestination check(Destination d) throws InvalidDestinationException {
        if (d == null) {
            throw new InvalidDestinationException("The destination is null");
        }
        if (!(d instanceof HeraldDestination h)) {
            throw new InvalidDestinationException(
                    "Not a Herald destination: " + d.getClass().getName());
        }
        String n = h.name;
        if (n.isEmpty() || n.length() > MAX_NAME || n.equals(".") || n.equals("..") || !n.matches("[a-zA-Z0-9._-]+")) {
            throw new InvalidDestinationException("Illegal destination name '" + n
                    + "': use 1-249 characters of a-z, A-Z, 0-9, '.', '_' and '-' (it is a topic name)");
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((HeraldDestination) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return uri().hashCode();
    }

    @Override
    public String toString() {
        return uri();
    }
}
