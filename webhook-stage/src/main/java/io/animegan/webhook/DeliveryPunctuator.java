package io.animegan.webhook;

import io.animegan.events.WebhookDelivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a wall-clock schedule, attempts the deliveries that are due. 2xx ends a delivery, 410 stops
 * it, a refused address fails it; anything else (other statuses, timeouts, no connection) is tried
 * again after the backoff until the retry window is used up. The store changes commit with the
 * task's transaction: a stage killed after a call and before its commit calls again, with the
 * same webhook id, so the receiver can drop the repeat. Each attempt's outcome is forwarded as a
 * {@link WebhookDelivery} (pending, delivered or failed) for the status app to show.
 */
final class DeliveryPunctuator implements Punctuator {

    private static final Logger log = LoggerFactory.getLogger(DeliveryPunctuator.class);
    /** Most attempts per run, so one run stays well inside the transaction and poll timeouts. */
    static final int MAX_ATTEMPTS_PER_RUN = 20;

    static final String PENDING = "pending";
    static final String DELIVERED = "delivered";
    static final String FAILED = "failed";

    private final ProcessorContext<String, WebhookDelivery> context;
    private final KeyValueStore<String, Delivery> deliveries;
    private final WebhookSender sender;
    private final WebhookSettings settings;
    private final WebhookMetrics metrics;

    DeliveryPunctuator(
            ProcessorContext<String, WebhookDelivery> context,
            KeyValueStore<String, Delivery> deliveries,
            WebhookSender sender,
            WebhookSettings settings,
            WebhookMetrics metrics) {
        this.context = context;
        this.deliveries = deliveries;
        this.sender = sender;
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void punctuate(long nowMs) {
        for (Delivery delivery : due(nowMs)) {
            attempt(delivery, nowMs);
        }
    }

    private List<Delivery> due(long nowMs) {
        List<Delivery> due = new ArrayList<>();
        try (KeyValueIterator<String, Delivery> all = deliveries.all()) {
            while (all.hasNext() && due.size() < MAX_ATTEMPTS_PER_RUN) {
                KeyValue<String, Delivery> entry = all.next();
                if (entry.value.nextAtMs() <= nowMs) {
                    due.add(entry.value);
                }
            }
        }
        return due;
    }

    private void attempt(Delivery delivery, long nowMs) {
        WebhookSender.Attempt attempt = sender.send(delivery, nowMs / 1000);
        metrics.attempted(attempt);
        int attempts = delivery.attempts() + 1;
        emit(
                delivery,
                attempts,
                attempt.status(),
                nowMs,
                attempt.delivered()
                        ? DELIVERED
                        : attempt.gone() || attempt.refused() || givesUp(delivery, nowMs) ? FAILED : PENDING);
        if (attempt.delivered()) {
            deliveries.delete(delivery.webhookId());
            metrics.delivered();
            log.info(
                    "webhook {} for {} delivered on attempt {} ({})",
                    delivery.webhookId(),
                    delivery.subject(),
                    attempts,
                    attempt.status());
        } else if (attempt.gone()) {
            deliveries.delete(delivery.webhookId());
            metrics.gone();
            log.info(
                    "webhook {} for {}: the receiver answered 410, no more attempts",
                    delivery.webhookId(),
                    delivery.subject());
        } else if (attempt.refused()) {
            deliveries.delete(delivery.webhookId());
            metrics.failed();
            log.warn("webhook {} for {} failed: {}", delivery.webhookId(), delivery.subject(), attempt.error());
        } else {
            retryOrGiveUp(delivery, attempt, nowMs, attempts);
        }
    }

    /**
     * Whether no attempt after this one would fall inside the retry window, even after the
     * shortest wait the backoff can draw.
     */
    private boolean givesUp(Delivery delivery, long nowMs) {
        long shortestWait = settings.backoff().ceilingMillis(delivery.attempts() + 1) / 2;
        return nowMs + shortestWait - delivery.dueAtMs() > settings.retryFor().toMillis();
    }

    private void emit(Delivery delivery, int attempts, int status, long nowMs, String state) {
        WebhookDelivery change = new WebhookDelivery(
                delivery.subject(),
                delivery.type(),
                delivery.webhookId(),
                state,
                attempts,
                status > 0 ? status : null,
                nowMs);
        context.forward(new Record<>(delivery.subject(), change, nowMs));
    }

    private void retryOrGiveUp(Delivery delivery, WebhookSender.Attempt attempt, long nowMs, int attempts) {
        String answer = attempt.status() > 0 ? "HTTP " + attempt.status() : attempt.error();
        if (givesUp(delivery, nowMs)) {
            deliveries.delete(delivery.webhookId());
            metrics.failed();
            log.warn(
                    "webhook {} for {} failed after {} attempts (last: {})",
                    delivery.webhookId(),
                    delivery.subject(),
                    attempts,
                    answer);
            return;
        }
        // The window bounds when retries are scheduled: the jitter may put the last one a little past it.
        Duration wait = settings.backoff().after(attempts, ThreadLocalRandom.current());
        long nextAtMs = nowMs + wait.toMillis();
        deliveries.put(delivery.webhookId(), delivery.retryAt(nextAtMs));
        log.info(
                "webhook {} for {}: attempt {} got {}; next in {} ms",
                delivery.webhookId(),
                delivery.subject(),
                attempts,
                answer,
                wait.toMillis());
    }
}
