package io.herald.server.group;

import io.herald.log.LogManager;
import io.herald.log.io.DiskStorage;
import io.herald.server.config.BrokerConfig;
import io.herald.server.metadata.LocalMetadataStore;
import io.herald.server.metadata.MetadataStore;
import io.herald.server.metadata.TopicManager;
import io.herald.server.partition.PartitionManager;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A group coordinator over real logs in a directory, with manual time and, optionally, manual loading: what the
 * coordinator's unit tests drive directly, without a network. {@link #reopen} closes everything and opens the same
 * directory again, as a restarted broker would.
 */
final class CoordinatorHarness implements AutoCloseable {

    /** An executor that runs nothing until told to. */
    static final class ManualExecutor extends AbstractExecutorService {
        private final List<Runnable> queued = new ArrayList<>();
        private boolean shutdown;

        @Override
        public synchronized void execute(Runnable command) {
            queued.add(command);
        }

        void runAll() {
            List<Runnable> now;
            synchronized (this) {
                now = new ArrayList<>(queued);
                queued.clear();
            }
            now.forEach(Runnable::run);
        }

        @Override
        public synchronized void shutdown() {
            shutdown = true;
        }

        @Override
        public synchronized List<Runnable> shutdownNow() {
            shutdown = true;
            List<Runnable> pending = new ArrayList<>(queued);
            queued.clear();
            return pending;
        }

        @Override
        public synchronized boolean isShutdown() {
            return shutdown;
        }

        @Override
        public synchronized boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }

    final Path dir;
    final GroupConfig config;
    final MockGroupTime time;
    final ManualExecutor loader = new ManualExecutor();
    MetadataStore metadata;
    LogManager logs;
    PartitionManager partitions;
    TopicManager topics;
    GroupCoordinator coordinator;

    CoordinatorHarness(Path dir, GroupConfig config, MockGroupTime time) throws IOException {
        this.dir = dir;
        this.config = config;
        this.time = time;
        open(true);
    }

    /** Closes the coordinator and the logs and opens them again; shards load only when {@code load} is true. */
    void reopen(boolean load) throws IOException {
        closeAll();
        open(load);
    }

    private void open(boolean load) throws IOException {
        BrokerConfig broker = BrokerConfig.parse(Map.of("log.dirs", dir.toString()));
        metadata = LocalMetadataStore.open(dir);
        logs = LogManager.open(broker.logManagerConfig(), DiskStorage.instance(), Clock.systemUTC(), Map.of());
        partitions = new PartitionManager(logs, metadata, Clock.systemUTC(), 3_600_000);
        partitions.start();
        topics = new TopicManager(metadata, partitions, broker.topicDefaults(), 1, true);
        coordinator = GroupCoordinator.start(config, topics, partitions, time, loader);
        if (load) {
            loader.runAll();
        }
    }

    void createTopic(String name, int partitionCount) throws IOException {
        topics.create(name, partitionCount, 1, Map.of());
    }

    private void closeAll() throws IOException {
        coordinator.close();
        logs.close();
    }

    @Override
    public void close() throws IOException {
        closeAll();
    }
}
