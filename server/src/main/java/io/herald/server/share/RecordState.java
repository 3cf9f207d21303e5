package io.herald.server.share;

/**
 * The state of an in-flight record of a share partition, with Kafka's ids (as {@code kafka-share-groups} and the
 * share coordinator show them).
 *
 * <p>Thread-safety: immutable.
 */
enum RecordState {
    /** Can be acquired by any member. */
    AVAILABLE((byte) 0),
    /** Held by one member under a time-limited lock. */
    ACQUIRED((byte) 1),
    /** Processed: never delivered again. */
    ACKNOWLEDGED((byte) 2),
    /** Rejected, or delivered too often: never delivered again. */
    ARCHIVED((byte) 4);

    private final byte id;

    RecordState(byte id) {
        this.id = id;
    }

    byte id() {
        return id;
    }

    boolean isTerminal() {
        return this == ACKNOWLEDGED || this == ARCHIVED;
    }

    static RecordState of(byte id) {
        for (RecordState s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown record state " + id);
    }
}
