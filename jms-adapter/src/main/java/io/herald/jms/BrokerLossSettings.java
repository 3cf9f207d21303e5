package io.herald.jms;

/**
 * When a connection tells its {@code ExceptionListener} that it lost the brokers. Kept apart from the other
 * connection options so that it can be set like them (URL query parameter, JNDI {@code java.naming.provider.url},
 * {@link HeraldConnectionFactory#setOption}, {@link HeraldConnectionFactory#setBrokerLossTimeoutMs}).
 *
 * <p>Thread-safety: immutable.
 *
 * @param timeoutMs how long no broker may answer before the listener hears of it (option {@value #TIMEOUT_KEY},
 *     default {@value #DEFAULT_TIMEOUT_MS} ms)
 */
record BrokerLossSettings(int timeoutMs) implements java.io.Serializable {

    /** URL option: milliseconds without any reachable broker before the {@code ExceptionListener} is called. */
    static final String TIMEOUT_KEY = "brokerLossTimeoutMs";

    static final int DEFAULT_TIMEOUT_MS = 10_000;

    static BrokerLossSettings defaults() {
        return new BrokerLossSettings(DEFAULT_TIMEOUT_MS);
    }

    /**
     * These settings with {@code value} for {@link #TIMEOUT_KEY}.
     *
     * @throws IllegalArgumentException if it is not a positive number
     */
    BrokerLossSettings withTimeout(String value) {
        int v;
        try {
            v = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Option " + TIMEOUT_KEY + " needs a number, got '" + value + "'", e);
        }
        if (v < 1) {
            throw new IllegalArgumentException("Option " + TIMEOUT_KEY + " must be at least 1, got " + v);
        }
        return new BrokerLossSettings(v);
    }

    /** How often the monitor asks the brokers: often enough to notice in time, at most once a second. */
    long probeIntervalMs() {
        return Math.max(50, Math.min(1000, timeoutMs / 4));
    }

    /** How long one probe keeps retrying before the monitor starts another. */
    int probeTimeoutMs() {
        return Math.max(5_000, timeoutMs);
    }
}
