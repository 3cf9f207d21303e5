package io.herald.server.protocol;

import io.herald.server.network.Request;
import io.herald.server.network.RequestChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The I/O threads ({@code num.io.threads}): each takes requests from the {@link RequestChannel} and dispatches them;
 * responses go back through the channel to the connection's processor.
 *
 * <p>Thread-safety: started and stopped once by the broker's lifecycle.
 */
public final class RequestHandlerPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RequestHandlerPool.class);

    private final RequestChannel channel;
    private final ApiDispatcher dispatcher;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    public RequestHandlerPool(RequestChannel channel, ApiDispatcher dispatcher, int threadCount) {
        this.channel = channel;
        this.dispatcher = dispatcher;
        for (int i = 0; i < threadCount; i++) {
            Thread t = new Thread(this::run, "herald-io-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    public void start() {
        threads.forEach(Thread::start);
    }

    private void run() {
        while (running) {
            try {
                Request request = channel.poll(300);
                if (request != null) {
                    dispatcher.dispatch(request, channel::sendResponse);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("I/O thread failed on a request", e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
    }
}
