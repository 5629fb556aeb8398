package io.animegan.common.stage;

/** No Kafka broker answered at the configured bootstrap servers: a start-up problem, not a picture's. */
public final class KafkaUnreachableException extends RuntimeException {
    public KafkaUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
