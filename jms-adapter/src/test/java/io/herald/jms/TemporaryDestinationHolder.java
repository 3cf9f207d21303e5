package io.herald.jms;

import jakarta.jms.Connection;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TemporaryTopic;

/**
 * The process {@link TemporaryDestinationCrashTest} kills: connects with the factory URL it is given (which may set a
 * client id), creates a temporary queue and a temporary topic, prints {@code TEMPORARY <queue> <topic>} and waits to
 * be killed, never closing its connection.
 */
public final class TemporaryDestinationHolder {

    private TemporaryDestinationHolder() {}

    public static void main(String[] args) throws Exception {
        Connection c = new HeraldConnectionFactory(args[0]).createConnection();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        TemporaryQueue q = s.createTemporaryQueue();
        TemporaryTopic t = s.createTemporaryTopic();
        System.out.println("TEMPORARY " + q.getQueueName() + " " + t.getTopicName());
        System.out.flush();
        new java.util.concurrent.CountDownLatch(1).await(); // the connection lives until the test kills us
    }
}
