package io.herald.log.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link Storage} for tests: files are byte arrays, with two powers a disk does not give a test.
 *
 * <ul>
 *   <li>{@link #crash()} models a power loss: every file returns to its content at its last {@link LogFile#force}
 *       (directory operations are taken as durable at once), so tests can check what an fsync really protects.
 *   <li>{@link #setCapacity} bounds the bytes all files may hold; a write beyond it writes what fits and then fails with
 *       "No space left on device", as a full disk does.
 * </ul>
 *
 * <p>{@link #failOn} makes the storage "die" at the Nth mutating operation: it and every later mutation or force
 * throw, as if the process had stopped there, so a test can cut a multi-step operation (a compaction swap) at every
 * step, then {@link #crash()} and {@link #failOn failOn(0)} to restart. Thread-safety: thread-safe.
 */
public final class MemoryStorage implements Storage {

    private final Object lock = new Object();
    private final Map<Path, Node> files = new TreeMap<>();
    private final Set<Path> dirs = new HashSet<>();
    private final Set<Path> locks = new HashSet<>();
    private long capacity = Long.MAX_VALUE;
    private final AtomicInteger mutations = new AtomicInteger();
    private volatile int failAt = -1;

    /** The content of one file, live and as of its last force. */
    private static final class Node {
        byte[] data = new byte[0];
        int size;
        byte[] durable = new byte[0];
        boolean mapped;
    }

    /** Bounds the total bytes of all files. */
    public void setCapacity(long bytes) {
        synchronized (lock) {
            capacity = bytes;
        }
    }

    /** Total bytes of all files. */
    public long used() {
        synchronized (lock) {
            long total = 0;
            for (Node n : files.values()) {
                total += n.size;
            }
            return total;
        }
    }

    /** Makes the {@code n}-th mutating operation from now (1-based) and all after it throw; 0 disables. */
    public void failOn(int n) {
        mutations.set(0);
        failAt = n <= 0 ? -1 : n;
    }

    /** How many mutating operations ran since {@link #failOn} was last called. */
    public int mutations() {
        return mutations.get();
    }

    /** Power loss: every file reverts to its last forced content, and every lock is dropped. */
    public void crash() {
        synchronized (lock) {
            for (Node n : files.values()) {
                n.data = Arrays.copyOf(n.durable, Math.max(n.durable.length, 16));
                n.size = n.durable.length;
                n.mapped = false;
            }
            locks.clear();
        }
    }

    /** The file's bytes (for tests that inspect or damage files). */
    public byte[] content(Path path) {
        synchronized (lock) {
            Node n = files.get(path);
            if (n == null) {
                throw new IllegalArgumentException("No file " + path);
            }
            return Arrays.copyOf(n.data, n.size);
        }
    }

    /** Replaces the file's bytes, durably (for tests that damage files). */
    public void setContent(Path path, byte[] content) {
        synchronized (lock) {
            Node n = files.computeIfAbsent(path, p -> new Node());
            n.data = content.clone();
            n.size = content.length;
            n.durable = content.clone();
        }
    }

    private void mutation() throws IOException {
        int n = mutations.incrementAndGet();
        if (failAt > 0 && n >= failAt) {
            throw new IOException("Injected failure at mutation " + n + " (storage is dead since " + failAt + ")");
        }
    }

    @Override
    public LogFile open(Path path, boolean create) throws IOException {
        synchronized (lock) {
            Node node = files.get(path);
            if (node == null) {
                if (!create) {
                    throw new NoSuchFileException(path.toString());
                }
                mutation();
                node = new Node();
                files.put(path, node);
            }
            return new MemoryFile(path);
        }
    }

    @Override
    public boolean exists(Path path) {
        synchronized (lock) {
            return files.containsKey(path) || isDirectory(path);
        }
    }

    @Override
    public boolean isDirectory(Path path) {
        synchronized (lock) {
            return dirs.contains(path);
        }
    }

    @Override
    public List<Path> list(Path dir) throws IOException {
        synchronized (lock) {
            if (!dirs.contains(dir)) {
                throw new NoSuchFileException(dir.toString());
            }
            List<Path> out = new ArrayList<>();
            for (Path f : files.keySet()) {
                if (dir.equals(f.getParent())) {
                    out.add(f);
                }
            }
            for (Path d : dirs) {
                if (dir.equals(d.getParent())) {
                    out.add(d);
                }
            }
            out.sort(Comparator.comparing(p -> p.getFileName().toString()));
            return out;
        }
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        synchronized (lock) {
            for (Path p = dir; p != null; p = p.getParent()) {
                dirs.add(p);
            }
        }
    }

    @Override
    public void move(Path source, Path target) throws IOException {
        synchronized (lock) {
            mutation();
            Node node = files.remove(source);
            if (node != null) {
                files.put(target, node);
                return;
            }
            if (!dirs.contains(source)) {
                throw new NoSuchFileException(source.toString());
            }
            for (Path d : new ArrayList<>(dirs)) {
                if (d.startsWith(source)) {
                    dirs.remove(d);
                    dirs.add(target.resolve(source.relativize(d)));
                }
            }
            for (Path f : new ArrayList<>(files.keySet())) {
                if (f.startsWith(source)) {
                    files.put(target.resolve(source.relativize(f)), files.remove(f));
                }
            }
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        synchronized (lock) {
            if (files.containsKey(path)) {
                mutation();
                files.remove(path);
            } else {
                dirs.remove(path);
            }
        }
    }

    @Override
    public void deleteRecursively(Path dir) throws IOException {
        synchronized (lock) {
            files.keySet().removeIf(f -> f.startsWith(dir));
            dirs.removeIf(d -> d.startsWith(dir));
        }
    }

    @Override
    public void syncDirectory(Path dir) {}

    @Override
    public Closeable lock(Path lockFile) throws IOException {
        synchronized (lock) {
            if (!locks.add(lockFile)) {
                throw new DirectoryLockedException(lockFile);
            }
            files.computeIfAbsent(lockFile, p -> new Node());
        }
        return () -> {
            synchronized (lock) {
                locks.remove(lockFile);
            }
        };
    }

    @Override
    public long usableSpace(Path path) {
        synchronized (lock) {
            return capacity == Long.MAX_VALUE ? Long.MAX_VALUE : capacity - used();
        }
    }

    private final class MemoryFile implements LogFile {
        private volatile Path path;
        private volatile boolean closed;

        MemoryFile(Path path) {
            this.path = path;
        }

        private Node node() throws IOException {
            if (closed) {
                throw new ClosedChannelException();
            }
            Node n = files.get(path);
            if (n == null) {
                throw new NoSuchFileException(path + " (deleted while open)");
            }
            return n;
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            synchronized (lock) {
                Node n = node();
                if (position >= n.size) {
                    return -1;
                }
                int count = (int) Math.min(dst.remaining(), n.size - position);
                dst.put(n.data, (int) position, count);
                return count;
            }
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            synchronized (lock) {
                Node n = node();
                mutation();
                long end = position + src.remaining();
                long growth = Math.max(0, end - n.size);
                long free = capacity == Long.MAX_VALUE ? Long.MAX_VALUE : capacity - used();
                int count = src.remaining();
                if (growth > free) {
                    count = (int) Math.max(0, count - (growth - free));
                    if (count == 0) {
                        throw new IOException("No space left on device");
                    }
                    end = position + count;
                }
                ensureCapacity(n, (int) end);
                src.get(n.data, (int) position, count);
                n.size = Math.max(n.size, (int) end);
                return count;
            }
        }

        private void ensureCapacity(Node n, int size) {
            if (n.data.length < size) {
                if (n.mapped) {
                    throw new IllegalStateException("Growing a mapped file past its mapping: " + path);
                }
                n.data = Arrays.copyOf(n.data, Math.max(size, n.data.length * 2));
            }
        }

        @Override
        public long size() throws IOException {
            synchronized (lock) {
                return node().size;
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            synchronized (lock) {
                Node n = node();
                mutation();
                if (size < n.size) {
                    Arrays.fill(n.data, (int) size, n.size, (byte) 0);
                    n.size = (int) size;
                }
            }
        }

        @Override
        public void force() throws IOException {
            synchronized (lock) {
                Node n = node();
                if (failAt > 0 && mutations.get() >= failAt) {
                    throw new IOException("Injected failure: storage is dead");
                }
                n.durable = Arrays.copyOf(n.data, n.size);
            }
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            ByteBuffer buf;
            synchronized (lock) {
                Node n = node();
                if (position >= n.size) {
                    return 0;
                }
                int len = (int) Math.min(count, n.size - position);
                buf = ByteBuffer.wrap(Arrays.copyOfRange(n.data, (int) position, (int) position + len));
            }
            return target.write(buf);
        }

        @Override
        public ByteBuffer map(int size) throws IOException {
            synchronized (lock) {
                Node n = node();
                mutation();
                n.mapped = false;
                if (size < n.size) {
                    Arrays.fill(n.data, size, n.size, (byte) 0);
                }
                ensureCapacity(n, size);
                n.size = size;
                n.mapped = true;
                return ByteBuffer.wrap(n.data, 0, size).slice();
            }
        }

        @Override
        public void renameTo(Path target) throws IOException {
            synchronized (lock) {
                node();
                move(path, target);
                path = target;
            }
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }
}
