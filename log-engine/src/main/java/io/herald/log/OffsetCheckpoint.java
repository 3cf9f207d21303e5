package io.herald.log;

import io.herald.log.io.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file of one offset per partition, replaced atomically: the recovery points and the log start offsets of a data
 * directory. Kafka's format, so an operator reads it the same way:
 *
 * <pre>
 *  0                      version
 *  2                      number of entries
 *  orders 0 1534          topic, partition, offset
 *  orders 1 1380
 * </pre>
 *
 * <p>Thread-safety: stateless; callers serialise writes to one file.
 */
final class OffsetCheckpoint {

    private static final Logger log = LoggerFactory.getLogger(OffsetCheckpoint.class);
    private static final int VERSION = 0;

    private OffsetCheckpoint() {}

    static void write(Storage storage, Path file, Map<TopicPartition, Long> offsets) throws IOException {
        StringBuilder text = new StringBuilder();
        text.append(VERSION).append('\n').append(offsets.size()).append('\n');
        offsets.forEach((tp, offset) -> text.append(tp.topic())
                .append(' ')
                .append(tp.partition())
                .append(' ')
                .append(offset)
                .append('\n'));
        storage.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads the file; a missing file is empty. A malformed one is logged and treated as empty, which is safe: recovery
     * then scans everything and log start offsets fall back to the first segment.
     */
    static Map<TopicPartition, Long> read(Storage storage, Path file) throws IOException {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        if (!storage.exists(file)) {
            return offsets;
        }
        String[] lines = new String(storage.readAll(file), StandardCharsets.UTF_8).split("\n");
        try {
            if (lines.length < 2 || Integer.parseInt(lines[0].trim()) != VERSION) {
                throw new IllegalArgumentException("unknown version or missing header");
            }
            int count = Integer.parseInt(lines[1].trim());
            if (lines.length - 2 != count) {
                throw new IllegalArgumentException("expected " + count + " entries, found " + (lines.length - 2));
            }
            for (int i = 2; i < lines.length; i++) {
                String[] parts = lines[i].trim().split(" ");
                if (parts.length != 3) {
                    throw new IllegalArgumentException("line " + (i + 1) + " is not '<topic> <partition> <offset>'");
                }
                offsets.put(new TopicPartition(parts[0], Integer.parseInt(parts[1])), Long.parseLong(parts[2]));
            }
        } catch (IllegalArgumentException e) {
            log.warn("Ignoring malformed checkpoint {}: {}", file, e.getMessage());
            offsets.clear();
        }
        return offsets;
    }
}
