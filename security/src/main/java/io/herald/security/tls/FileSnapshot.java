package io.herald.security.tls;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The content of a key-material file as read at one moment, with what tells cheaply whether it changed since: the
 * modification time, size and file key (inode), then the SHA-256 of the content. Loading parses exactly the bytes
 * hashed here, so a file replaced between the check and the load cannot be half-seen.
 *
 * <p>Thread-safety: immutable (the content array is never handed out).
 */
final class FileSnapshot {

    private final Path path;
    private final FileTime modified;
    private final long size;
    private final Object fileKey;
    private final byte[] content;
    private final byte[] sha256;

    private FileSnapshot(Path path, BasicFileAttributes attributes, byte[] content) {
        this.path = path;
        this.modified = attributes.lastModifiedTime();
        this.size = attributes.size();
        this.fileKey = attributes.fileKey();
        this.content = content;
        this.sha256 = sha256(content);
    }

    /**
     * Reads {@code path}, the value of setting {@code key}.
     *
     * @throws SslConfigException the file is missing or cannot be read, with the key in the message
     */
    static FileSnapshot read(SslKey key, Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new SslConfigException(key.name() + "=" + path + " is not a file");
            }
            return new FileSnapshot(path, attributes, Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            throw new SslConfigException(key.name() + "=" + path + ": the file does not exist", e);
        } catch (AccessDeniedException e) {
            throw new SslConfigException(key.name() + "=" + path + ": the file cannot be read (permission denied)", e);
        } catch (IOException e) {
            throw new SslConfigException(key.name() + "=" + path + ": the file cannot be read: " + e, e);
        }
    }

    /** Whether the file's attributes still are those of this snapshot (a stat, no read). */
    boolean sameAttributes() {
        try {
            BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class);
            return now.lastModifiedTime().equals(modified)
                    && now.size() == size
                    && Objects.equals(now.fileKey(), fileKey);
        } catch (IOException e) {
            return false;
        }
    }

    boolean sameContent(FileSnapshot other) {
        return Arrays.equals(sha256, other.sha256);
    }

    Path path() {
        return path;
    }

    byte[] content() {
        return content.clone();
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
