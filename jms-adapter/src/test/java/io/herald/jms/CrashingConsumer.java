package io.herald.jms;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/**
 * The process {@link ConsumerCrashTest} kills: receives one message and sends one in a transaction, says so on
 * standard output, and waits to be killed before committing.
 */
public final class CrashingConsumer {

    private CrashingConsumer() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String in = args[1];
        String out = args[2];
        Connection c = new HeraldConnectionFactory(url).createConnection();
        c.start();
        Session s = c.createSession(true, Session.SESSION_TRANSACTED);
        Message m = s.createConsumer(s.createQueue(in)).receive(60_000);
        s.createProducer(s.createQueue(out)).send(s.createTextMessage("reply to " + ((TextMessage) m).getText()));
        System.out.println("RECEIVED " + ((TextMessage) m).getText());
        System.out.flush();
        new java.util.concurrent.CountDownLatch(1).await(); // holds the transaction open until the test kills us
    }
}
