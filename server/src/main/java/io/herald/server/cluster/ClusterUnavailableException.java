package io.herald.server.cluster;

/**
 * The consistent store could not be reached in time (this broker is cut off from the majority, or the cluster has
 * lost it): nothing was decided, the caller may retry.
 */
public final class ClusterUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
