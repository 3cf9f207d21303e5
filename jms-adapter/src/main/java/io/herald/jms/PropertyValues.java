package io.herald.jms;

import jakarta.jms.JMSException;
import jakarta.jms.MessageFormatException;

/**
 * The conversion rules of JMS 3.1 section 3.5.4 for typed property (and MapMessage/StreamMessage) values: what a value
 * written as one type reads as in another, and {@link MessageFormatException} where the spec forbids it. A String the
 * numeric type's valueOf does not accept throws {@link NumberFormatException} unwrapped, as 3.5.4 and 3.11.3 ask; null
 * reads as valueOf(null) does.
 *
 * <p>Thread-safety: stateless.
 */
final class PropertyValues {

    private PropertyValues() {}

    static boolean toBoolean(Object v) throws JMSException {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Boolean.parseBoolean((String) v);
        }
        throw cannot(v, "boolean");
    }

    static byte toByte(Object v) throws JMSException {
        if (v instanceof Byte b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Byte.parseByte((String) v);
        }
        throw cannot(v, "byte");
    }

    static short toShort(Object v) throws JMSException {
        if (v instanceof Short || v instanceof Byte) {
            return ((Number) v).shortValue();
        }
        if (v == null || v instanceof String) {
            return Short.parseShort((String) v);
        }
        throw cannot(v, "short");
    }

    static int toInt(Object v) throws JMSException {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue();
        }
        if (v == null || v instanceof String) {
            return Integer.parseInt((String) v);
        }
        throw cannot(v, "int");
    }

    static long toLong(Object v) throws JMSException {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v == null || v instanceof String) {
            return Long.parseLong((String) v);
        }
        throw cannot(v, "long");
    }

    static float toFloat(Object v) throws JMSException {
        if (v instanceof Float f) {
            return f;
        }
        if (v == null) {
            throw new NullPointerException("No float value");
        }
        if (v instanceof String s) {
            return Float.parseFloat(s);
        }
        throw cannot(v, "float");
    }

    static double toDouble(Object v) throws JMSException {
        if (v instanceof Double || v instanceof Float) {
            return ((Number) v).doubleValue();
        }
        if (v == null) {
            throw new NullPointerException("No double value");
        }
        if (v instanceof String s) {
            return Double.parseDouble(s);
        }
        throw cannot(v, "double");
    }

    static String toStringValue(Object v) throws JMSException {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[]) {
            throw cannot(v, "String");
        }
        if (v instanceof Character c) {
            return String.valueOf(c);
        }
        return v.toString();
    }

    /** Whether {@code v} may be a property value (boxed primitives and String; no char, no bytes). */
    static void checkPropertyType(String name, Object v) throws JMSException {
        if (v == null
                || v instanceof String
                || v instanceof Boolean
                || v instanceof Byte
                || v instanceof Short
                || v instanceof Integer
                || v instanceof Long
                || v instanceof Float
                || v instanceof Double) {
            return;
        }
        throw new MessageFormatException(
                "Property " + name + " cannot hold a " + v.getClass().getName() + " (only primitives and String)");
    }

    private static MessageFormatException cannot(Object v, String type) {
        return new MessageFormatException(
                "A " + v.getClass().getSimpleName() + " value cannot be read as " + type + " (JMS 3.5.4)");
    }
}
