package io.herald.server.share;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Notices travel from one broker's {@link ShareGroupNotices} to another's receiver unchanged, over a channel that
 * hands each published notice to the other side's subscriber (as the cluster backend's notice topic does).
 */
class ShareGroupNoticesTest {

    /** Two brokers' ends of one channel: what one publishes, the other receives. */
    private static final class Link {
        private final List<Consumer<byte[]>> a = new ArrayList<>();
        private final List<Consumer<byte[]>> b = new ArrayList<>();

        ShareGroupNotices.Channel end(boolean first) {
            List<Consumer<byte[]>> mine = first ? a : b;
            List<Consumer<byte[]>> theirs = first ? b : a;
            return new ShareGroupNotices.Channel() {
                @Override
                public void publish(byte[] notice) {
                    theirs.forEach(r -> r.accept(notice));
                }

                @Override
                public void subscribe(Consumer<byte[]> receiver) {
                    mine.add(receiver);
                }
            };
        }
    }

    /** What a receiver was told, in order. */
    private static final class Heard implements ShareGroupNotices.Receiver {
        final List<String> events = new ArrayList<>();

        @Override
        public void configsChanged(String group, Map<String, String> configs) {
            events.add("configs " + group + " " + configs);
        }

        @Override
        public void memberLeft(String group, String member) {
            events.add("left " + group + " " + member);
        }

        @Override
        public void selectorChanged(String group, String clientId, Optional<String> selector) {
            events.add("selector " + group + " " + clientId + " " + selector.orElse("<none>"));
        }
    }

    @Test
    void everyKindOfNoticeArrivesAsItWasSentAndNotAtItsSender() {
        Link link = new Link();
        Heard atSender = new Heard();
        Heard atOther = new Heard();
        ShareGroupNotices sender = ShareGroupNotices.over(link.end(true), Runnable::run, atSender);
        ShareGroupNotices.over(link.end(false), Runnable::run, atOther);

        sender.configsChanged("jms.queue.q", Map.of("share.delivery.count.limit", "2"));
        sender.configsChanged("emptied", Map.of());
        sender.memberLeft("jms.queue.q", "member-1");
        sender.selectorChanged("jms.queue.q", "client é", Optional.of("color = 'red'"));
        sender.selectorChanged("jms.queue.q", "client é", Optional.empty());

        assertThat(atOther.events)
                .containsExactly(
                        "configs jms.queue.q {share.delivery.count.limit=2}",
                        "configs emptied {}",
                        "left jms.queue.q member-1",
                        "selector jms.queue.q client é color = 'red'",
                        "selector jms.queue.q client é <none>");
        assertThat(atSender.events).isEmpty();
    }

    @Test
    void aNoticeThatDoesNotDecodeIsSkippedAndTheNextOneApplies() {
        Link link = new Link();
        Heard atOther = new Heard();
        ShareGroupNotices sender = ShareGroupNotices.over(link.end(true), Runnable::run, new Heard());
        ShareGroupNotices.over(link.end(false), Runnable::run, atOther);

        link.end(true).publish(new byte[] {9, 0, 1, 'g'}); // a type this version does not know
        link.end(true).publish(new byte[] {1}); // truncated
        sender.memberLeft("g", "m");

        assertThat(atOther.events).containsExactly("left g m");
    }
}
