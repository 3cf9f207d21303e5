package io.herald.log.index;

import java.io.IOException;
import java.nio.file.Path;

/** An index file whose content cannot be right; the log rebuilds the index from its segment. */
public final class CorruptIndexException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptIndexException(Path path, String reason) {
        super("Corrupt index " + path + ": " + reason);
    }
}
