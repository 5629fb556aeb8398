package io.animegan.webhook;

import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Pairs a submission (where to call back) with its outcome (what to say), whichever is read first:
 * the outcome topics are not ordered against the submitted topic, so an outcome read before its
 * submission waits in the early store. A pair whose submission asked for a callback becomes a
 * pending {@link Delivery}, keyed by its webhook id so a re-read outcome is not sent twice.
 */
final class CallbackJoin {

    /** The three stores of one join: images, jobs and videos each have their own, on their own partitions. */
    record Stores(String callbacks, String early, String deliveries) {
        static final Stores IMAGES =
                new Stores("webhook-image-callbacks", "webhook-image-outcomes", "webhook-image-deliveries");
        static final Stores JOBS =
                new Stores("webhook-job-callbacks", "webhook-job-outcomes", "webhook-job-deliveries");
        static final Stores VIDEOS =
                new Stores("webhook-video-callbacks", "webhook-video-outcomes", "webhook-video-deliveries");

        String[] names() {
            return new String[] {callbacks, early, deliveries};
        }
    }

    private final ProcessingContext context;
    private final KeyValueStore<String, Callback> callbacks;
    private final KeyValueStore<String, WebhookPayload> early;
    private final KeyValueStore<String, Delivery> deliveries;

    CallbackJoin(ProcessingContext context, Stores stores) {
        this.context = context;
        this.callbacks = context.getStateStore(stores.callbacks());
        this.early = context.getStateStore(stores.early());
        this.deliveries = context.getStateStore(stores.deliveries());
    }

    /** A picture, clip or job was submitted; every picture of a job says the same about the job. */
    void submitted(String id, Callback callback) {
        WebhookPayload outcome = early.get(id);
        if (outcome == null) {
            callbacks.put(id, callback);
            return;
        }
        early.delete(id);
        queue(callback, outcome);
    }

    /** A picture, clip or job is finished. */
    void finished(String id, WebhookPayload outcome) {
        Callback callback = callbacks.get(id);
        if (callback == null) {
            early.put(id, outcome);
            return;
        }
        callbacks.delete(id);
        queue(callback, outcome);
    }

    private void queue(Callback callback, WebhookPayload outcome) {
        if (callback.url() == null) {
            return;
        }
        WebhookPayload payload = outcome.withSubmission(callback.style(), callback.jobId());
        String webhookId = payload.webhookId();
        if (deliveries.get(webhookId) == null) {
            deliveries.put(
                    webhookId,
                    Delivery.first(
                            webhookId,
                            callback.url(),
                            callback.tenant(),
                            Json.write(payload),
                            payload.id(),
                            payload.type(),
                            context.currentSystemTimeMs()));
        }
    }
}
