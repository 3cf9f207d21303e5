package io.herald.security.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A small text file replaced as a whole: written to a temporary sibling, forced to disk, renamed over the old one,
 * and the directory forced, so that after a crash ({@code kill -9}, power loss) the file holds either the old or the
 * new content, never a mix.
 *
 * <p>Thread-safety: not thread-safe; callers serialise writes to one file.
 */
public final class AtomicFile {

    private final Path file;

    public AtomicFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /** The file's lines, or an empty list when it does not exist yet. */
    public List<String> readLines() throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /** Parses one line's space-separated fields; throws {@link IllegalArgumentException} for a bad one. */
    @FunctionalInterface
    public interface EntryParser<T> {
        T parse(String[] fields);
    }

    /**
     * The file's non-empty lines, each split at spaces into exactly {@code fields} fields and parsed. A line that does
     * not parse fails the whole read with its line number: a security file silently losing an entry (a user, a DENY)
     * would change who may do what.
     */
    public <T> List<T> readEntries(int fields, EntryParser<T> parser) throws IOException {
        return parseEntries(file.toString(), readLines(), fields, parser);
    }

    /** {@link #readEntries} over {@code lines} from {@code source} (named in the error). */
    public static <T> List<T> parseEntries(String source, List<String> lines, int fields, EntryParser<T> parser)
            throws IOException {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            try {
                String[] f = line.split(" ");
                if (f.length != fields) {
                    throw new IllegalArgumentException("expected " + fields + " fields, found " + f.length);
                }
                out.add(parser.parse(f));
            } catch (IllegalArgumentException e) {
                throw new IOException(source + " is damaged at line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    public void writeLines(List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(String.join("\n", lines) + (lines.isEmpty() ? "" : "\n"));
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
