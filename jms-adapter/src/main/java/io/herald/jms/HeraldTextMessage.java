package io.herald.jms;

import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;

/**
 * A text message: the record value is the text in UTF-8.
 *
 * <p>Thread-safety: not thread-safe.
 */
final class HeraldTextMessage extends HeraldMessage implements TextMessage {

    private String text;

    @Override
    String bodyType() {
        return "text";
    }

    @Override
    byte[] bodyBytes() {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    void readBody(byte[] bytes) {
        text = bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void setText(String string) throws JMSException {
        checkBodyWritable();
        this.text = string;
    }

    @Override
    public String getText() {
        return text;
    }

    @Override
    void clearBodyContent() {
        text = null;
    }

    @Override
    Object bodyObject() {
        return text;
    }
}
