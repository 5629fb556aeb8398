package io.animegan.ingest;

import io.javalin.http.sse.SseClient;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open server-sent event stream with its own queue of pending events and its own writer.
 * Writing to a socket blocks while the reader is not reading; only this stream's writer task
 * waits then, and once {@link #CAPACITY} events are pending the stream is closed, so one slow or
 * stuck reader never delays another stream and never holds more than its queue in memory.
 */
final class EventStream {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);

    /**
     * Events one stream may have pending. A page following {@link ProgressRoutes#MAX_IDS} pictures
     * gets a burst of one per picture when it connects and when the queue moves; a few bursts fit.
     */
    static final int CAPACITY = 1_000;

    /** An event, or a comment when {@code name} is null. */
    private record Message(String name, String data) {}

    private final SseClient client;
    private final Executor writers;
    private final BlockingQueue<Message> pending = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param writers runs at most one writer task per stream at a time */
    EventStream(SseClient client, Executor writers) {
        this.client = client;
        this.writers = writers;
    }

    /** Queues an event; false when the stream is closed, or is closed now because its reader fell too far behind. */
    boolean send(String name, String data) {
        return offer(new Message(name, data));
    }

    boolean comment(String text) {
        return offer(new Message(null, text));
    }

    boolean isOpen() {
        return !closed.get() && !client.terminated();
    }

    /** Ends the stream; what is still queued is dropped. Safe from any thread, any number of times. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            pending.clear();
            client.close();
        }
    }

    private boolean offer(Message message) {
        if (!isOpen()) {
            return false;
        }
        if (!pending.offer(message)) {
            log.info("event stream closed: its reader has {} events pending and is not reading", CAPACITY);
            close();
            return false;
        }
        schedule();
        return true;
    }

    /** Starts a writer unless one is running; the running one takes what is queued. */
    private void schedule() {
        if (writing.compareAndSet(false, true)) {
            try {
                writers.execute(this::drain);
            } catch (RejectedExecutionException e) {
                writing.set(false);
                close();
            }
        }
    }

    private void drain() {
        try {
            Message message;
            while (isOpen() && (message = pending.poll()) != null) {
                if (message.name() == null) {
                    client.sendComment(message.data());
                } else {
                    client.sendEvent(message.name(), message.data());
                }
            }
        } catch (RuntimeException e) {
            log.debug("event stream closed while writing: {}", e.toString());
            close();
        } finally {
            writing.set(false);
        }
        // An event queued after the last poll but before the flag was cleared still gets a writer.
        if (isOpen() && !pending.isEmpty()) {
            schedule();
        }
    }
}
