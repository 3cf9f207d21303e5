package io.herald.log;

import io.herald.log.index.OffsetIndex;
import io.herald.log.index.TimeIndex;
import io.herald.log.io.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a partition directory: finishes or discards what a crash interrupted (deletions, compaction swaps), opens the
 * segments, and recovers the ones that may hold unflushed data.
 *
 * <p>Design note: after a crash only data after the recovery point can be torn, so only the segment holding the
 * recovery point and those after it are validated batch by batch (CRC included); a torn or corrupt tail there is cut
 * and the cut logged with file and position, since nothing there was promised durable. Segments before it were flushed:
 * they get a constant-time check, and if one is found damaged the partition is refused rather than silently cut, since
 * that data was acknowledged as durable. After a clean shutdown every segment gets the constant-time check.
 *
 * <p>Thread-safety: used by one thread while the partition is not yet open.
 */
final class LogLoader {

    private static final Logger log = LoggerFactory.getLogger(LogLoader.class);
    private static final Pattern STEM = Pattern.compile("\\d{20}");
    private static final String LOG_SWAP = Segment.LOG_SUFFIX + Segment.SWAP_SUFFIX;

    /** What loading found. */
    record Loaded(ConcurrentSkipListMap<Long, Segment> segments, long logStartOffset, long recoveryPoint) {}

    private final Storage storage;
    private final Path dir;
    private final LogConfig config;
    private final long now;

    private LogLoader(LogEnvironment env, Path dir, LogConfig config) {
        this.storage = env.storage();
        this.dir = dir;
        this.config = config;
        this.now = env.clock().millis();
    }

    static Loaded load(
            LogEnvironment env,
            Path dir,
            LogConfig config,
            long recoveryPoint,
            long logStartOffset,
            boolean cleanShutdown)
            throws IOException {
        return new LogLoader(env, dir, config).load(recoveryPoint, logStartOffset, cleanShutdown);
    }

    private Loaded load(long recoveryPoint, long logStartOffset, boolean cleanShutdown) throws IOException {
        TreeMap<Long, Path> logs = new TreeMap<>();
        List<Path> swaps = new ArrayList<>();
        classifyFiles(logs, swaps);
        for (Path swap : swaps) {
            completeSwap(swap, logs);
        }
        ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
        try {
            long next = openSegments(logs, segments, recoveryPoint, cleanShutdown);
            if (segments.isEmpty()) {
                long start = Math.max(0, logStartOffset);
                segments.put(start, Segment.create(storage, dir, start, config, now, ""));
                next = start;
            }
            long start = Math.max(logStartOffset, segments.firstKey());
            if (start > next) {
                log.warn(
                        "{}: log start offset {} is past the log end offset {}; starting the log empty at {}",
                        dir,
                        start,
                        next,
                        start);
                for (Segment s : segments.values()) {
                    s.deleteFiles(storage);
                }
                segments.clear();
                segments.put(start, Segment.create(storage, dir, start, config, now, ""));
                next = start;
            }
            return new Loaded(segments, start, next);
        } catch (IOException | RuntimeException e) {
            for (Segment s : segments.values()) {
                closeQuietly(s);
            }
            throw e;
        }
    }

    /** Sorts the directory's files: segments to open, swaps to finish, leftovers to delete, strangers to refuse. */
    private void classifyFiles(TreeMap<Long, Path> logs, List<Path> swaps) throws IOException {
        List<Path> indexes = new ArrayList<>();
        for (Path file : storage.list(dir)) {
            String name = file.getFileName().toString();
            if (storage.isDirectory(file)) {
                log.warn("Ignoring directory {} inside partition directory {}", name, dir);
            } else if (name.endsWith(Segment.DELETED_SUFFIX) || name.endsWith(Segment.CLEANED_SUFFIX)) {
                storage.delete(file); // a deletion or a compaction that a stop interrupted
            } else if (name.endsWith(LOG_SWAP)) {
                checkStem(file, name.substring(0, name.length() - LOG_SWAP.length()));
                swaps.add(file);
            } else if (name.endsWith(Segment.SWAP_SUFFIX)) {
                storage.delete(file); // an index swap: indexes of swapped segments are rebuilt
            } else if (name.endsWith(Segment.LOG_SUFFIX)) {
                logs.put(checkStem(file, stem(name, Segment.LOG_SUFFIX)), file);
            } else if (name.endsWith(OffsetIndex.suffix()) || name.endsWith(TimeIndex.suffix())) {
                String suffix = name.endsWith(OffsetIndex.suffix()) ? OffsetIndex.suffix() : TimeIndex.suffix();
                checkStem(file, stem(name, suffix));
                indexes.add(file);
            }
            // Anything else belongs to the broker (epoch checkpoints, producer snapshots) and is left alone.
        }
        for (Path index : indexes) {
            String name = index.getFileName().toString();
            long base = Long.parseLong(name.substring(0, 20));
            if (!logs.containsKey(base)
                    && swaps.stream().noneMatch(s -> s.getFileName().toString().startsWith(name.substring(0, 20)))) {
                log.warn("Deleting index {} that has no segment", index);
                storage.delete(index);
            }
        }
    }

    private static String stem(String name, String suffix) {
        return name.substring(0, name.length() - suffix.length());
    }

    private long checkStem(Path file, String stem) throws CorruptLogException {
        if (!STEM.matcher(stem).matches()) {
            throw new CorruptLogException("Unexpected file " + file + ": segment files are named by their base offset"
                    + " in 20 digits (e.g. 00000000000000000000.log); move the file out of the partition directory");
        }
        return Long.parseLong(stem);
    }

    /**
     * Finishes a compaction swap that a stop interrupted. The {@code .log.swap} file was complete and flushed before
     * it got that name, and holds the cleaned copy of the segments whose base offsets fall in its offset range (the
     * cleaner makes that range end where the replaced segments ended): those are deleted and the swap takes the name
     * of the first. Its indexes are rebuilt when it is opened.
     */
    private void completeSwap(Path swap, TreeMap<Long, Path> logs) throws IOException {
        long base = Long.parseLong(swap.getFileName().toString().substring(0, 20));
        long next = base;
        try (var file = storage.open(swap, false)) {
            BatchScanner scanner = BatchScanner.headers(file, 0, Math.toIntExact(file.size()));
            for (var b = scanner.next(); b != null; b = scanner.next()) {
                next = b.nextOffset();
            }
            if (scanner.stopReason() != null) {
                throw new CorruptLogException(swap, scanner.position(), scanner.stopReason());
            }
        }
        for (Map.Entry<Long, Path> e :
                new ArrayList<>(logs.subMap(base, true, next, false).entrySet())) {
            log.info("Completing an interrupted compaction of {}: deleting replaced segment {}", dir, e.getValue());
            storage.delete(e.getValue());
            storage.delete(Segment.offsetIndexPath(dir, e.getKey()));
            storage.delete(Segment.timeIndexPath(dir, e.getKey()));
            logs.remove(e.getKey());
        }
        Path target = Segment.logPath(dir, base);
        storage.delete(Segment.offsetIndexPath(dir, base));
        storage.delete(Segment.timeIndexPath(dir, base));
        storage.move(swap, target);
        logs.put(base, target);
        log.info(
                "Completed an interrupted compaction of {}: {} now holds offsets {} to {}",
                dir,
                target,
                base,
                next - 1);
    }

    /** Opens every segment, recovering what needs it; returns the log end offset. */
    private long openSegments(
            TreeMap<Long, Path> logs,
            ConcurrentSkipListMap<Long, Segment> segments,
            long recoveryPoint,
            boolean cleanShutdown)
            throws IOException {
        Long recoverFrom = cleanShutdown ? null : logs.floorKey(Math.max(recoveryPoint, 0));
        if (!cleanShutdown && recoverFrom == null && !logs.isEmpty()) {
            recoverFrom = logs.firstKey();
        }
        long next = -1;
        List<Long> bases = new ArrayList<>(logs.keySet());
        for (int i = 0; i < bases.size(); i++) {
            long base = bases.get(i);
            boolean active = i == bases.size() - 1;
            if (next > base) {
                throw new CorruptLogException(
                        Segment.logPath(dir, base),
                        0,
                        "segment starts at offset " + base + " but the previous segment ends at offset " + (next - 1));
            }
            Segment segment = Segment.open(storage, dir, base, config, active, now);
            segments.put(base, segment);
            boolean mayBeTorn = recoverFrom != null && base >= recoverFrom;
            boolean needsRecovery = mayBeTorn || segment.indexesLost() || !segment.loadTail();
            if (needsRecovery) {
                Segment.RecoveryResult cut = segment.recover(next < 0 ? base : next);
                if (cut != null) {
                    if (!mayBeTorn && !active) {
                        throw new CorruptLogException(
                                segment.path(),
                                cut.validBytes(),
                                cut.reason()
                                        + "; this segment was flushed before the last stop, so the broker refuses to cut it."
                                        + " Restore the partition from a replica, or move the damaged files away");
                    }
                    log.warn(
                            "Recovery of {}: cut {} bytes at position {}: {}",
                            segment.path(),
                            cut.truncatedBytes(),
                            cut.validBytes(),
                            cut.reason());
                    deleteAfter(bases.subList(i + 1, bases.size()), segment);
                    segment.flush();
                    return segment.nextOffset();
                }
                if (!active) {
                    segment.onBecomeInactive(); // the rebuilt indexes were given room to grow; trim them
                }
                segment.flush();
            }
            next = segment.nextOffset();
            if (mayBeTorn && !active && next < bases.get(i + 1)) {
                // The segment lost its unflushed tail while a later one kept its file: the offsets in between are
                // gone, and what follows them was never flushed either. Keep the log contiguous: cut here.
                log.warn(
                        "Recovery of {}: it ends at offset {} but the next segment starts at {}; the crash lost the"
                                + " offsets between, so the segments after it are deleted",
                        segment.path(),
                        next,
                        bases.get(i + 1));
                deleteAfter(bases.subList(i + 1, bases.size()), segment);
                segment.reactivate();
                return next;
            }
        }
        return next;
    }

    private void deleteAfter(List<Long> later, Segment corrupt) throws IOException {
        for (long base : later) {
            Path path = Segment.logPath(dir, base);
            log.warn("Deleting segment {} that followed the corruption in {}", path, corrupt.path());
            storage.delete(path);
            storage.delete(Segment.offsetIndexPath(dir, base));
            storage.delete(Segment.timeIndexPath(dir, base));
        }
    }

    private static void closeQuietly(Segment s) {
        try {
            s.close();
        } catch (IOException e) {
            log.warn("Closing {} failed: {}", s.path(), e.toString());
        }
    }
}
