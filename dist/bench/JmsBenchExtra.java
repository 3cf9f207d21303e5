import jakarta.jms.BytesMessage;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The modes the anchor's jmsbench lacks, with the same conventions (jakarta.jms API only, so it runs against any
 * provider; -Dcf.class, -Dcf.url, -Dn, -Dsize, -Dpersistent, -DtimeoutSec; one "RESULT" line):
 *
 * <pre>
 *   asyncproduce &lt;queue&gt;        one producer, send(message, CompletionListener) with at most -Dwindow (1000)
 *                                 sends outstanding; the rate counts until the last completion
 *   drain &lt;queue&gt; &lt;consumers&gt;    that many consumers, each on its own connection, AUTO_ACKNOWLEDGE receive(),
 *                                 drain N messages together (the backlog asyncproduce or jmsbench produce left)
 *   fanin &lt;queue&gt; &lt;consumers&gt;    one blocking producer and that many consumers at once, each on its own connection
 *   asyncfanin &lt;queue&gt; &lt;consumers&gt;  the same with the asyncproduce producer; the rate counts until the last
 *                                 message is received
 *   durable &lt;topic&gt; &lt;subscribers&gt;  one blocking producer and that many durable subscribers (each on its own
 *                                 connection with its own client id, MessageListener), created before the producer
 *                                 starts; a subscriber's rate counts from the first send to its N-th message
 * </pre>
 *
 * Compiled and run by dist/bench/jms-vs-artemis.sh: {@code javac -cp jakarta.jms-api.jar JmsBenchExtra.java}.
 * Thread-safety: a program; each session is used by one thread.
 */
public final class JmsBenchExtra {
    static final int N = Integer.getInteger("n", 200_000);
    static final int SIZE = Integer.getInteger("size", 1024);
    static final int WINDOW = Integer.getInteger("window", 1000);
    static final boolean PERSISTENT = Boolean.parseBoolean(System.getProperty("persistent", "true"));
    static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(Long.getLong("timeoutSec", 300));

    public static void main(String[] args) throws Exception {
        ConnectionFactory cf = (ConnectionFactory) Class.forName(System.getProperty("cf.class"))
                .getConstructor(String.class)
                .newInstance(System.getProperty("cf.url"));
        String mode = args[0];
        String dest = args[1];
        int consumers = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        String common = String.format(Locale.ROOT, "mode=%s dest=%s n=%d size=%d persistent=%s consumers=%d cf=%s",
                mode, dest, N, SIZE, PERSISTENT, consumers, cf.getClass().getName());
        switch (mode) {
            case "asyncproduce" -> {
                try (Connection c = cf.createConnection()) {
                    Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    double secs = asyncProduce(s, s.createQueue(dest));
                    System.out.println("RESULT " + common + " window=" + WINDOW + rate("produce", N, secs));
                }
            }
            case "drain" -> {
                long[] span = consumeWith(cf, dest, consumers, null);
                double secs = (span[1] - span[0]) / 1e9;
                System.out.println("RESULT " + common + rate("consume", N, secs));
            }
            case "fanin" -> fanIn(cf, dest, consumers, common, false);
            case "asyncfanin" -> fanIn(cf, dest, consumers, common, true);
            case "durable" -> durableFanOut(cf, dest, consumers, common);
            default -> throw new IllegalArgumentException(mode);
        }
    }

    static byte[] payload() {
        byte[] p = new byte[SIZE];
        Arrays.fill(p, (byte) 'x');
        return p;
    }

    static double asyncProduce(Session s, Destination d) throws Exception {
        MessageProducer p = s.createProducer(d);
        p.setDeliveryMode(PERSISTENT ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
        byte[] payload = payload();
        Semaphore window = new Semaphore(WINDOW);
        CountDownLatch done = new CountDownLatch(N);
        AtomicReference<Exception> failure = new AtomicReference<>();
        CompletionListener listener = new CompletionListener() {
            @Override
            public void onCompletion(Message message) {
                window.release();
                done.countDown();
            }

            @Override
            public void onException(Message message, Exception exception) {
                failure.compareAndSet(null, exception);
                window.release();
                done.countDown();
            }
        };
        long t0 = System.nanoTime();
        for (int i = 0; i < N; i++) {
            if (!window.tryAcquire(TIMEOUT_NS, TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("no completion within the timeout after " + i + " sends");
            }
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(payload);
            p.send(m, listener);
        }
        if (!done.await(TIMEOUT_NS, TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("completions missing: " + done.getCount());
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * K consumers on K connections receive N messages together; returns when they started receiving and when the last
     * message came (System.nanoTime). {@code ready} is counted down once they are receiving.
     */
    static long[] consumeWith(ConnectionFactory cf, String dest, int k, CountDownLatch ready)
            throws Exception {
        AtomicLong remaining = new AtomicLong(N);
        AtomicLong lastNs = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Connection> conns = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(k);
        try {
            for (int i = 0; i < k; i++) {
                Connection c = cf.createConnection();
                conns.add(c);
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer mc = s.createConsumer(s.createQueue(dest));
                c.start();
                Thread t = new Thread(
                        () -> {
                            started.countDown();
                            long deadline = System.nanoTime() + TIMEOUT_NS;
                            try {
                                while (remaining.get() > 0 && System.nanoTime() < deadline) {
                                    if (mc.receive(200) != null) {
                                        remaining.decrementAndGet();
                                        lastNs.accumulateAndGet(System.nanoTime(), Math::max);
                                    }
                                }
                            } catch (Throwable e) {
                                failure.compareAndSet(null, e);
                            }
                        },
                        "consumer-" + i);
                threads.add(t);
            }
            long start = System.nanoTime();
            threads.forEach(Thread::start);
            started.await();
            if (ready != null) {
                ready.countDown();
            }
            for (Thread t : threads) {
                t.join(TimeUnit.NANOSECONDS.toMillis(TIMEOUT_NS) + 1000);
            }
            if (failure.get() != null) {
                throw new IllegalStateException("consumer failed", failure.get());
            }
            if (remaining.get() > 0) {
                throw new IllegalStateException("consumers got only " + (N - remaining.get()) + " of " + N);
            }
            return new long[] {start, lastNs.get()};
        } finally {
            for (Connection c : conns) {
                c.close();
            }
        }
    }

    static void fanIn(ConnectionFactory cf, String dest, int k, String common, boolean async) throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        AtomicReference<Object> consumed = new AtomicReference<>();
        Thread consumers = new Thread(() -> {
            try {
                consumed.set(consumeWith(cf, dest, k, ready));
            } catch (Throwable e) {
                consumed.set(e);
                ready.countDown();
            }
        });
        consumers.start();
        ready.await();
        long[] sent = produceFrom(cf, async, s -> s.createQueue(dest));
        long start = sent[0];
        double psecs = sent[1] / 1e9;
        consumers.join();
        if (!(consumed.get() instanceof long[] span)) {
            throw new IllegalStateException("consumers failed: " + consumed.get());
        }
        System.out.println("RESULT " + common + rate("produce", N, psecs) + rate("endToEnd", N, (span[1] - start) / 1e9));
    }

    /** What a session makes the destination of. */
    interface DestinationOf {
        Destination in(Session s) throws Exception;
    }

    /**
     * Sends N messages from a connection of its own, blocking or with a CompletionListener; returns when the sending
     * began (System.nanoTime) and how long it took (ns).
     */
    static long[] produceFrom(ConnectionFactory cf, boolean async, DestinationOf dest) throws Exception {
        try (Connection pc = cf.createConnection()) {
            Session ps = pc.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Destination d = dest.in(ps);
            long start = System.nanoTime();
            if (async) {
                asyncProduce(ps, d);
            } else {
                blockingProduce(ps, d);
            }
            return new long[] {start, System.nanoTime() - start};
        }
    }

    static void blockingProduce(Session s, Destination d) throws Exception {
        MessageProducer p = s.createProducer(d);
        p.setDeliveryMode(PERSISTENT ? DeliveryMode.PERSISTENT : DeliveryMode.NON_PERSISTENT);
        byte[] payload = payload();
        for (int i = 0; i < N; i++) {
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(payload);
            p.send(m);
        }
    }

    /** Durable subscribers named {@code <topic>.sub<k>} with client ids {@code <topic>.c<k>}; removed at the end. */
    static void durableFanOut(ConnectionFactory cf, String dest, int subs, String common) throws Exception {
        List<Connection> conns = new ArrayList<>();
        List<Session> sessions = new ArrayList<>();
        List<MessageConsumer> consumers = new ArrayList<>();
        try {
            CountDownLatch done = new CountDownLatch(subs);
            long[] lastNs = new long[subs];
            for (int k = 0; k < subs; k++) {
                Connection c = cf.createConnection();
                c.setClientID(dest + ".c" + k);
                conns.add(c);
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                sessions.add(s);
                MessageConsumer mc = s.createDurableConsumer(s.createTopic(dest), dest + ".sub" + k);
                consumers.add(mc);
                int idx = k;
                long[] count = new long[1];
                mc.setMessageListener(m -> {
                    if (++count[0] == N) {
                        lastNs[idx] = System.nanoTime();
                        done.countDown();
                    }
                });
                c.start();
            }
            long[] sent = produceFrom(cf, false, s -> s.createTopic(dest));
            long start = sent[0];
            double psecs = sent[1] / 1e9;
            if (!done.await(TIMEOUT_NS, TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("subscribers incomplete: " + done.getCount() + " of " + subs);
            }
            StringBuilder sb = new StringBuilder("RESULT " + common + rate("produce", N, psecs));
            for (int k = 0; k < subs; k++) {
                sb.append(rate("sub" + k, N, (lastNs[k] - start) / 1e9));
            }
            System.out.println(sb);
            for (int k = 0; k < subs; k++) {
                consumers.get(k).close();
                sessions.get(k).unsubscribe(dest + ".sub" + k);
            }
        } finally {
            for (Connection c : conns) {
                c.close();
            }
        }
    }

    static String rate(String what, long n, double secs) {
        return String.format(Locale.ROOT, " %s_secs=%.2f %s_msgs_per_s=%.0f", what, secs, what, n / secs);
    }
}
