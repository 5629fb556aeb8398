package io.animegan.status;

/** The status store cannot answer right now (starting, rebalancing, restoring, owner unreachable); ask again soon. */
public final class StatusUnavailableException extends RuntimeException {

    public StatusUnavailableException(String message) {
        super(message);
    }
}
