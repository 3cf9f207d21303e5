package io.herald.server.share;

/**
 * A run of offsets acquired together, with the delivery count they have (KIP-932's AcquiredRecords).
 *
 * @param first the first offset
 * @param last the last offset, inclusive
 * @param deliveryCount how often these records have been delivered, this time included
 */
public record AcquiredRange(long first, long last, int deliveryCount) {}
