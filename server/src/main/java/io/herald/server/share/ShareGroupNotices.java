package io.herald.server.share;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In a cluster: what one broker tells the others about a share group, so that every leader of the group's share
 * partitions acts at once instead of at its next leadership or when a lock runs out. A broker that wrote a group's
 * configs to {@code __share_group_state} sends them (the others put them in force); the coordinator that removed a
 * member (it left, or its session timed out) sends its id (the others release what it acquired from them); a broker
 * that set or removed a member's message selector (Herald extension, kept in memory) sends it, so that every leader
 * evaluates it.
 *
 * <pre>
 * notice, configs:     int8 type=0 | utf group | the group-configs value of {@link ShareStateRecords}
 * notice, member left: int8 type=1 | utf group | utf member
 * notice, selector:    int8 type=2 | utf group | utf client id | bool set | utf selector (if set)
 * utf, bool:           {@link DataOutputStream#writeUTF}, {@link DataOutputStream#writeBoolean}
 * </pre>
 *
 * <p>Design note: a notice is a hint about state kept elsewhere, never the state: the configs are durable in the state
 * topic before they are sent, and a member's records are released by their lock anyway. A broker that misses a notice
 * (it was cut off, or joined later) reads the configs at its next leadership and releases by lock, as without
 * notices.
 *
 * <p>Thread-safety: thread-safe; received notices are applied one at a time on the executor given.
 */
public final class ShareGroupNotices {

    private static final Logger log = LoggerFactory.getLogger(ShareGroupNotices.class);
    private static final byte CONFIGS = 0;
    private static final byte MEMBER_LEFT = 1;
    private static final byte SELECTOR = 2;

    /** How notices travel between the brokers of a cluster (its cluster backend's notice channel). */
    public interface Channel {
        /** Sends {@code notice} to the other live brokers, best effort. */
        void publish(byte[] notice);

        /** Calls {@code receiver} with every notice another broker published, on a thread it must not block. */
        void subscribe(Consumer<byte[]> receiver);
    }

    /** What a broker does with the notices other brokers send. */
    interface Receiver {
        void configsChanged(String group, Map<String, String> configs);

        void memberLeft(String group, String member);

        /** {@code selector} is empty when it was removed. */
        void selectorChanged(String group, String clientId, Optional<String> selector);
    }

    private final Channel channel;

    private ShareGroupNotices(Channel channel) {
        this.channel = channel;
    }

    /** Notices over {@code channel}; those received are applied to {@code receiver} on {@code executor}. */
    static ShareGroupNotices over(Channel channel, Executor executor, Receiver receiver) {
        channel.subscribe(notice -> {
            try {
                executor.execute(() -> apply(notice, receiver));
            } catch (RejectedExecutionException e) {
                // shutting down
            }
        });
        return new ShareGroupNotices(channel);
    }

    /** Tells the other brokers that {@code group} has {@code configs} now. */
    void configsChanged(String group, Map<String, String> configs) {
        channel.publish(encode(CONFIGS, group, out -> out.write(ShareStateRecords.configsValue(configs))));
    }

    /** Tells the other brokers that {@code member} is no longer a member of {@code group}. */
    void memberLeft(String group, String member) {
        channel.publish(encode(MEMBER_LEFT, group, out -> out.writeUTF(member)));
    }

    /** Tells the other brokers that {@code clientId}'s selector in {@code group} is {@code selector} (empty: none). */
    void selectorChanged(String group, String clientId, Optional<String> selector) {
        channel.publish(encode(SELECTOR, group, out -> {
            out.writeUTF(clientId);
            out.writeBoolean(selector.isPresent());
            if (selector.isPresent()) {
                out.writeUTF(selector.get());
            }
        }));
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] encode(byte type, String group, Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(type);
            out.writeUTF(group);
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    private static void apply(byte[] notice, Receiver receiver) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(notice))) {
            byte type = in.readByte();
            String group = in.readUTF();
            switch (type) {
                case CONFIGS -> receiver.configsChanged(group, ShareStateRecords.decodeConfigs(in.readAllBytes()));
                case MEMBER_LEFT -> receiver.memberLeft(group, in.readUTF());
                case SELECTOR -> {
                    String clientId = in.readUTF();
                    receiver.selectorChanged(
                            group, clientId, in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty());
                }
                default -> log.warn("Ignoring a share-group notice of unknown type {}", type);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Applying a share-group notice failed: {}", e.toString());
        }
    }
}
