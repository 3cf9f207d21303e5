package io.herald.server.group;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.errors.InvalidRegularExpression;

/**
 * The regular expressions of KIP-848 subscriptions ({@code SubscribedTopicRegex}). Kafka evaluates them with Google's
 * RE2/J; Herald uses {@link java.util.regex}, whose syntax is a superset of RE2's for the patterns topic names need
 * (literals, classes, alternation, repetition), so every RE2 subscription a client sends works the same. Java-only
 * constructs (backreferences, lookaround) are accepted here although RE2 would reject them. A topic matches when the
 * whole name matches. Compiled patterns are cached.
 *
 * <p>Thread-safety: thread-safe.
 */
final class TopicRegex {

    private static final int MAX_CACHED = 1024;
    private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

    private TopicRegex() {}

    /**
     * The compiled pattern.
     *
     * @throws InvalidRegularExpression if it does not compile
     */
    static Pattern compile(String regex) {
        Pattern p = CACHE.get(regex);
        if (p != null) {
            return p;
        }
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new InvalidRegularExpression(
                    "SubscribedTopicRegex `" + regex + "` is not a valid regular expression: " + e.getDescription());
        }
        if (CACHE.size() >= MAX_CACHED) {
            CACHE.clear();
        }
        CACHE.put(regex, p);
        return p;
    }

    static boolean matches(String regex, String topic) {
        return compile(regex).matcher(topic).matches();
    }
}
