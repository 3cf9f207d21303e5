package io.herald.log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Log files the engine cannot use as they are: a segment whose bytes stop being batches, a file of the wrong name, a
 * segment that does not follow the previous one. The message names the file and, where there is one, the position.
 */
public final class CorruptLogException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptLogException(Path file, long position, String reason) {
        super("Corrupt log file " + file + " at position " + position + ": " + reason);
    }

    public CorruptLogException(String message) {
        super(message);
    }
}
