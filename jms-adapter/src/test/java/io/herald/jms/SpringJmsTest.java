package io.herald.jms;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.TextMessage;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/** The provider under Spring Framework's JmsTemplate and DefaultMessageListenerContainer, as Spring apps use them. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpringJmsTest {

    @RegisterExtension
    static final BrokerExtension herald = new BrokerExtension();

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void jmsTemplateSendsReceivesAndDoesRequestReplyWithAListenerContainer() throws Exception {
        HeraldConnectionFactory factory = herald.factory();
        JmsTemplate template = new JmsTemplate(factory);
        template.setReceiveTimeout(20_000);

        String queue = unique("spring");
        template.convertAndSend(queue, "hello spring");
        assertThat(template.receiveAndConvert(queue)).isEqualTo("hello spring");

        String service = unique("spring-service");
        List<String> handled = new CopyOnWriteArrayList<>();
        DefaultMessageListenerContainer container = new DefaultMessageListenerContainer();
        container.setConnectionFactory(factory);
        container.setDestinationName(service);
        container.setSessionTransacted(true);
        container.setReceiveTimeout(500);
        container.setMessageListener((org.springframework.jms.listener.SessionAwareMessageListener<jakarta.jms.Message>)
                (request, session) -> {
                    String text = ((TextMessage) request).getText();
                    handled.add(text);
                    TextMessage reply = session.createTextMessage("re: " + text);
                    reply.setJMSCorrelationID(request.getJMSCorrelationID());
                    session.createProducer(request.getJMSReplyTo()).send(reply);
                });
        container.afterPropertiesSet();
        container.start();
        try {
            jakarta.jms.Message reply = template.sendAndReceive(service, s -> s.createTextMessage("ping"));
            assertThat(reply).isNotNull();
            assertThat(((TextMessage) reply).getText()).isEqualTo("re: ping");
            assertThat(handled).containsExactly("ping");
        } finally {
            container.stop();
            container.shutdown();
        }
    }
}
