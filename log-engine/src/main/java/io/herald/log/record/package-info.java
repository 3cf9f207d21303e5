/**
 * Kafka record batches (magic v2) as bytes: a flyweight header view, validation, and the encoder and decoder of the
 * records inside, with the four compression codecs. The append and read paths use only the fixed 61-byte header;
 * records are decoded only for compaction, timestamp look-ups and key checks on compacted topics.
 */
package io.herald.log.record;
