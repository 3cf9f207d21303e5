package io.herald.server.handler;

import io.herald.log.TopicPartition;
import io.herald.server.partition.Partition;
import io.herald.server.partition.PartitionManager;
import io.herald.server.protocol.ApiHandler;
import io.herald.server.protocol.RequestContext;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeLogDirs (key 35): each data directory with the partitions it holds (all, or those asked for), their size in
 * bytes and their offset lag (log end offset minus high watermark: 0 on a single broker), and from v4 the directory's
 * file system's total and usable bytes. A directory that cannot be read gets {@code KAFKA_STORAGE_ERROR}. As in Kafka,
 * a partition asked for that this broker does not hold is simply absent from the answer: the response has no
 * per-partition error.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class DescribeLogDirsHandler implements ApiHandler<DescribeLogDirsRequestData> {

    private static final long UNKNOWN_BYTES = -1;

    private final List<Path> logDirs;
    private final PartitionManager partitions;

    public DescribeLogDirsHandler(List<Path> logDirs, PartitionManager partitions) {
        this.logDirs = logDirs.stream().map(d -> d.toAbsolutePath().normalize()).toList();
        this.partitions = partitions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_LOG_DIRS;
    }

    @Override
    public short maxVersion() {
        return 5;
    }

    @Override
    public CompletableFuture<DescribeLogDirsResponseData> handle(
            RequestContext context, DescribeLogDirsRequestData request) {
        if (!context.authorizedOnCluster(AclOperation.DESCRIBE)) {
            return CompletableFuture.completedFuture(
                    new DescribeLogDirsResponseData().setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code()));
        }
        Set<TopicPartition> wanted = null;
        if (request.topics() != null) {
            wanted = new HashSet<>();
            for (DescribableLogDirTopic t : request.topics()) {
                for (int p : t.partitions()) {
                    wanted.add(new TopicPartition(t.topic(), p));
                }
            }
        }
        Map<Path, Map<String, List<DescribeLogDirsPartition>>> byDir = new LinkedHashMap<>();
        logDirs.forEach(d -> byDir.put(d, new TreeMap<>()));
        for (Partition p : partitions.partitions()) {
            TopicPartition tp = p.topicPartition();
            Map<String, List<DescribeLogDirsPartition>> topics =
                    byDir.get(p.log().dir().getParent().toAbsolutePath().normalize());
            if (topics == null || (wanted != null && !wanted.contains(tp))) {
                continue;
            }
            topics.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                    .add(new DescribeLogDirsPartition()
                            .setPartitionIndex(tp.partition())
                            .setPartitionSize(p.log().size())
                            .setOffsetLag(Math.max(0, p.logEndOffset() - p.highWatermark()))
                            .setIsFutureKey(false));
        }
        DescribeLogDirsResponseData response = new DescribeLogDirsResponseData();
        byDir.forEach((dir, topics) -> response.results().add(describe(dir, topics, context.version())));
        return CompletableFuture.completedFuture(response);
    }

    private static DescribeLogDirsResult describe(
            Path dir, Map<String, List<DescribeLogDirsPartition>> topics, short version) {
        DescribeLogDirsResult result = new DescribeLogDirsResult().setLogDir(dir.toString());
        if (!Files.isDirectory(dir) || !Files.isReadable(dir)) {
            return result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
        }
        topics.forEach((name, list) -> {
            list.sort(Comparator.comparingInt(DescribeLogDirsPartition::partitionIndex));
            result.topics().add(new DescribeLogDirsTopic().setName(name).setPartitions(list));
        });
        if (version >= 4) {
            long total = UNKNOWN_BYTES;
            long usable = UNKNOWN_BYTES;
            try {
                FileStore store = Files.getFileStore(dir);
                total = store.getTotalSpace();
                usable = store.getUsableSpace();
            } catch (IOException e) {
                // the sizes stay unknown (-1), as Kafka reports them when it cannot tell
            }
            result.setTotalBytes(total).setUsableBytes(usable);
        }
        return result;
    }
}
