package io.herald.log;

/** Which timestamp a topic's records carry: the producer's ({@code CreateTime}) or the log's ({@code LogAppendTime}). */
public enum TimestampType {
    CREATE_TIME("CreateTime"),
    LOG_APPEND_TIME("LogAppendTime");

    private final String configName;

    TimestampType(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static TimestampType parse(String text) {
        for (TimestampType t : values()) {
            if (t.configName.equals(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown timestamp type " + text);
    }
}
