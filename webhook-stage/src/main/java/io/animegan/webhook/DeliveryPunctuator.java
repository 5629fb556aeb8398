package io.animegan.webhook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a wall-clock schedule, attempts the deliveries that are due. 2xx ends a delivery, 410 stops
 * it, a refused address fails it; anything else (other statuses, timeouts, no connection) is tried
 * again after the backoff until the retry window is used up. The store changes commit with the
 * task's transaction: a stage killed after a call and before its commit calls again, with the
 * same webhook id, so the receiver can drop the repeat.
 */
final class DeliveryPunctuator implements Punctuator {

    private static final Logger log = LoggerFactory.getLogger(DeliveryPunctuator.class);
    /** Most attempts per run, so one run stays well inside the transaction and poll timeouts. */
    static final int MAX_ATTEMPTS_PER_RUN = 20;

    private final KeyValueStore<String, Delivery> deliveries;
    private final WebhookSender sender;
    private final WebhookSettings settings;
    private final WebhookMetrics metrics;

    DeliveryPunctuator(KeyValueStore<String, Delivery> deliveries, WebhookSender sender, WebhookSettings settings,
            WebhookMetrics metrics) {
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
        if (attempt.delivered()) {
            deliveries.delete(delivery.webhookId());
            metrics.delivered();
            log.info("webhook {} for {} delivered on attempt {} ({})", delivery.webhookId(), delivery.subject(),
                    attempts, attempt.status());
        } else if (attempt.gone()) {
            deliveries.delete(delivery.webhookId());
            metrics.gone();
            log.info("webhook {} for {}: the receiver answered 410, no more attempts", delivery.webhookId(),
                    delivery.subject());
        } else if (attempt.refused()) {
            deliveries.delete(delivery.webhookId());
            metrics.failed();
            log.warn("webhook {} for {} failed: {}", delivery.webhookId(), delivery.subject(), attempt.error());
        } else {
            retryOrGiveUp(delivery, attempt, nowMs, attempts);
        }
    }

    private void retryOrGiveUp(Delivery delivery, WebhookSender.Attempt attempt, long nowMs, int attempts) {
        Duration wait = settings.backoff().after(attempts, ThreadLocalRandom.current());
        long nextAtMs = nowMs + wait.toMillis();
        String answer = attempt.status() > 0 ? "HTTP " + attempt.status() : attempt.error();
        if (nextAtMs - delivery.dueAtMs() > settings.retryFor().toMillis()) {
            deliveries.delete(delivery.webhookId());
            metrics.failed();
            log.warn("webhook {} for {} failed after {} attempts (last: {})", delivery.webhookId(), delivery.subject(),
                    attempts, answer);
            return;
        }
        deliveries.put(delivery.webhookId(), delivery.retryAt(nextAtMs, attempt.status()));
        log.info("webhook {} for {}: attempt {} got {}; next in {} ms", delivery.webhookId(), delivery.subject(),
                attempts, answer, wait.toMillis());
    }
}
