package io.herald.server.fetch;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Incremental fetch sessions (KIP-227): a consumer's full fetch opens a session that remembers its partitions, so its
 * next fetches list only what changed and the responses carry only partitions with news. The cache holds at most
 * {@code max.incremental.fetch.session.cache.slots} sessions; when full, the least recently used one is evicted (its
 * client's next incremental fetch gets FETCH_SESSION_ID_NOT_FOUND and starts over with a full fetch).
 *
 * <p>Thread-safety: thread-safe; a session is used by one request at a time (a client never has two fetches in flight
 * on one connection), and its epoch check enforces it.
 */
public final class FetchSessionCache {

    private final int maxSessions;
    private final LinkedHashMap<Integer, FetchSession> sessions = new LinkedHashMap<>(16, 0.75f, true);

    public FetchSessionCache(int maxSessions) {
        this.maxSessions = maxSessions;
    }

    /** A new session, or {@code null} if sessions are disabled. */
    public synchronized FetchSession create() {
        if (maxSessions <= 0) {
            return null;
        }
        if (sessions.size() >= maxSessions) {
            Iterator<Map.Entry<Integer, FetchSession>> eldest =
                    sessions.entrySet().iterator();
            eldest.next();
            eldest.remove();
        }
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        } while (sessions.containsKey(id));
        FetchSession session = new FetchSession(id);
        sessions.put(id, session);
        return session;
    }

    /** The session, marked as recently used, or {@code null}. */
    public synchronized FetchSession get(int id) {
        return sessions.get(id);
    }

    public synchronized void remove(int id) {
        sessions.remove(id);
    }

    public synchronized int size() {
        return sessions.size();
    }
}
