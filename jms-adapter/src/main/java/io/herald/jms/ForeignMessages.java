package io.herald.jms;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.ObjectMessage;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import java.util.Enumeration;

/**
 * Copies a message of another provider into one of ours before sending, as JMS 3.12 requires providers to accept
 * foreign messages.
 *
 * <p>Thread-safety: stateless.
 */
final class ForeignMessages {

    private ForeignMessages() {}

    static HeraldMessage copy(Message foreign) throws JMSException {
        HeraldMessage m;
        if (foreign instanceof TextMessage t) {
            HeraldTextMessage h = new HeraldTextMessage();
            h.setText(t.getText());
            m = h;
        } else if (foreign instanceof BytesMessage b) {
            HeraldBytesMessage h = new HeraldBytesMessage();
            b.reset();
            byte[] bytes = new byte[(int) b.getBodyLength()];
            b.readBytes(bytes);
            h.writeBytes(bytes);
            m = h;
        } else if (foreign instanceof MapMessage map) {
            HeraldMapMessage h = new HeraldMapMessage();
            for (Enumeration<?> e = map.getMapNames(); e.hasMoreElements(); ) {
                String n = (String) e.nextElement();
                h.setObject(n, map.getObject(n));
            }
            m = h;
        } else if (foreign instanceof ObjectMessage o) {
            HeraldObjectMessage h = new HeraldObjectMessage();
            h.setObject(o.getObject());
            m = h;
        } else if (foreign instanceof StreamMessage s) {
            HeraldStreamMessage h = new HeraldStreamMessage();
            s.reset();
            try {
                while (true) {
                    h.writeObject(s.readObject());
                }
            } catch (jakarta.jms.MessageEOFException end) {
                // all copied
            }
            m = h;
        } else {
            m = new HeraldMessage();
        }
        for (Enumeration<?> e = foreign.getPropertyNames(); e.hasMoreElements(); ) {
            String n = (String) e.nextElement();
            m.setObjectProperty(n, foreign.getObjectProperty(n));
        }
        m.setJMSCorrelationID(foreign.getJMSCorrelationID());
        m.setJMSType(foreign.getJMSType());
        if (foreign.getJMSReplyTo() != null) {
            m.setJMSReplyTo(foreign.getJMSReplyTo());
        }
        return m;
    }
}
