package io.herald.jms;

import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageNotWriteableRuntimeException;
import jakarta.jms.TransactionRolledBackException;
import jakarta.jms.TransactionRolledBackRuntimeException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;

/**
 * Turns client and protocol failures into JMS exceptions, with the cause kept, in one place; and checked JMS
 * exceptions into their runtime twins for the simplified API.
 *
 * <p>Thread-safety: stateless.
 */
final class JmsErrors {

    private JmsErrors() {}

    static JMSException format(String message, Throwable cause) {
        MessageFormatException e = new MessageFormatException(message + ": " + cause);
        e.initCause(cause);
        return e;
    }

    static JMSException of(String what, Throwable cause) {
        if (cause instanceof JMSException j) {
            return j;
        }
        Throwable root = cause;
        while (root instanceof java.util.concurrent.ExecutionException
                || root instanceof java.util.concurrent.CompletionException) {
            if (root.getCause() == null) {
                break;
            }
            root = root.getCause();
        }
        JMSException e;
        Throwable security = securityCause(root);
        if (security != null) {
            e = new JMSSecurityException(what + ": " + security.getMessage());
        } else if (root instanceof InvalidTopicException) {
            e = new InvalidDestinationException(what + ": " + root.getMessage());
        } else {
            e = new JMSException(what + ": " + root);
        }
        e.initCause(root);
        if (root instanceof Exception ex) {
            e.setLinkedException(ex);
        }
        return e;
    }

    /**
     * The authentication or authorization failure in {@code t}'s cause chain: kafka-clients' producer reports a refused
     * write either as such or, once that failure put it in its error state, as a KafkaException caused by it.
     */
    private static Throwable securityCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof AuthenticationException || c instanceof AuthorizationException) {
                return c;
            }
        }
        return null;
    }

    static IllegalStateException closed(String what) {
        return new IllegalStateException("The " + what + " is closed");
    }

    /** The runtime twin of {@code e} (JMS 2.0 simplified API). */
    static JMSRuntimeException runtime(JMSException e) {
        JMSRuntimeException r;
        if (e instanceof InvalidDestinationException) {
            r = new InvalidDestinationRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof InvalidSelectorException) {
            r = new InvalidSelectorRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof InvalidClientIDException) {
            r = new InvalidClientIDRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof IllegalStateException) {
            r = new IllegalStateRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof MessageFormatException) {
            r = new MessageFormatRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof MessageNotWriteableException) {
            r = new MessageNotWriteableRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof JMSSecurityException) {
            r = new JMSSecurityRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof TransactionRolledBackException) {
            r = new TransactionRolledBackRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof jakarta.jms.InvalidClientIDException) {
            r = new jakarta.jms.InvalidClientIDRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof jakarta.jms.TransactionInProgressException) {
            r = new jakarta.jms.TransactionInProgressRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else if (e instanceof jakarta.jms.ResourceAllocationException) {
            r = new jakarta.jms.ResourceAllocationRuntimeException(e.getMessage(), e.getErrorCode(), e);
        } else {
            r = new JMSRuntimeException(e.getMessage(), e.getErrorCode(), e);
        }
        return r;
    }
}
