package io.animegan.webhook;

import io.animegan.common.metrics.AnimeganMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counters of webhook attempts and of how deliveries ended. */
final class WebhookMetrics {

    static final String ATTEMPTS = AnimeganMetrics.PREFIX + "webhook.attempts";
    static final String DELIVERIES = AnimeganMetrics.PREFIX + "webhook.deliveries";

    private final Counter answered;
    private final Counter unanswered;
    private final Counter delivered;
    private final Counter gone;
    private final Counter failed;

    WebhookMetrics(MeterRegistry registry) {
        this.answered = attempts(registry, "answered");
        this.unanswered = attempts(registry, "unanswered");
        this.delivered = deliveries(registry, "delivered");
        this.gone = deliveries(registry, "gone");
        this.failed = deliveries(registry, "failed");
    }

    static WebhookMetrics global() {
        return new WebhookMetrics(AnimeganMetrics.registry());
    }

    void attempted(WebhookSender.Attempt attempt) {
        (attempt.status() > 0 ? answered : unanswered).increment();
    }

    void delivered() {
        delivered.increment();
    }

    void gone() {
        gone.increment();
    }

    void failed() {
        failed.increment();
    }

    private static Counter attempts(MeterRegistry registry, String result) {
        return Counter.builder(ATTEMPTS)
                .description("Webhook calls made, by whether the receiver answered")
                .tag("result", result)
                .register(registry);
    }

    private static Counter deliveries(MeterRegistry registry, String outcome) {
        return Counter.builder(DELIVERIES)
                .description("Webhooks finished: delivered (2xx), gone (410) or failed (refused or retries used up)")
                .tag("outcome", outcome)
                .register(registry);
    }
}
