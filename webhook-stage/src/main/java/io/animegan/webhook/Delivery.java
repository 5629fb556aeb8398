package io.animegan.webhook;

/**
 * A webhook waiting to be delivered, as kept in the state store until it is answered with 2xx or
 * 410, or given up.
 *
 * @param webhookId the {@code webhook-id} of every attempt
 * @param url where it goes
 * @param tenant whose it is: its secret signs every attempt
 * @param body the JSON payload, the same bytes on every attempt
 * @param subject the picture, clip or job id, for logs and the delivery state
 * @param type the payload's type (image.completed, image.failed, video.completed, video.failed, job.completed)
 * @param dueAtMs when it was first due (epoch ms), from which the retry window counts
 * @param attempts attempts made so far
 * @param nextAtMs when the next attempt is due (epoch ms)
 */
record Delivery(
        String webhookId,
        String url,
        String tenant,
        String body,
        String subject,
        String type,
        long dueAtMs,
        int attempts,
        long nextAtMs) {

    static Delivery first(
            String webhookId, String url, String tenant, String body, String subject, String type, long nowMs) {
        return new Delivery(webhookId, url, tenant, body, subject, type, nowMs, 0, nowMs);
    }

    Delivery retryAt(long atMs) {
        return new Delivery(webhookId, url, tenant, body, subject, type, dueAtMs, attempts + 1, atMs);
    }
}
