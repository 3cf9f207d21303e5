package io.herald.log.io;

import java.io.IOException;
import java.nio.file.Path;

/** Another process (or another engine in this one) holds the lock of a data directory. */
public final class DirectoryLockedException extends IOException {
    private static final long serialVersionUID = 1L;

    public DirectoryLockedException(Path lockFile) {
        super("Data directory " + lockFile.getParent() + " is in use by another Herald process (lock file " + lockFile
                + " is held); refusing to open it twice");
    }
}
