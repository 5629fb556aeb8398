package io.animegan.webhook;

import io.animegan.common.webhook.CallbackPolicy;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * How webhook-stage calls back: the typed place for its settings.
 *
 * @param secret the service's signing secret, {@code whsec_} + base64 (Standard Webhooks)
 * @param policy which addresses a callback may connect to, checked again on every connection
 * @param retryFor how long a delivery is retried after it was first due before it is given up
 * @param backoff the waits between attempts
 * @param connectTimeout longest wait for a receiver's TCP connection
 * @param readTimeout longest wait for a receiver's answer (also bounds the whole call)
 * @param resultBaseUrl the service's public URL, which the payload's result URL starts with; empty
 *     gives the path alone
 * @param tick how often due deliveries are looked for
 */
public record WebhookSettings(
        String secret,
        CallbackPolicy policy,
        Duration retryFor,
        Backoff backoff,
        Duration connectTimeout,
        Duration readTimeout,
        String resultBaseUrl,
        Duration tick) {

    public static final Duration DEFAULT_RETRY_FOR = Duration.ofHours(24);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Receivers are expected to answer quickly and work afterwards: longer waits are cut to this. */
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);

    static final Backoff DEFAULT_BACKOFF = new Backoff(Duration.ofSeconds(5), Duration.ofHours(1));
    static final Duration DEFAULT_TICK = Duration.ofSeconds(1);

    public WebhookSettings {
        requireSecret(secret); // a bad secret stops the stage at start, not at the first delivery
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(backoff, "backoff");
        if (retryFor.isNegative()
                || connectTimeout.isNegative()
                || connectTimeout.isZero()
                || readTimeout.isNegative()
                || readTimeout.isZero()
                || tick.isNegative()
                || tick.isZero()) {
            throw new IllegalArgumentException("webhook durations must be positive");
        }
        connectTimeout = min(connectTimeout, MAX_TIMEOUT);
        readTimeout = min(readTimeout, MAX_TIMEOUT);
        resultBaseUrl = resultBaseUrl == null ? "" : resultBaseUrl.replaceAll("/+$", "");
    }

    /** The defaults but for the secret, the policy, the retry window and the timeouts. */
    public static WebhookSettings of(
            String secret, CallbackPolicy policy, Duration retryFor, Duration timeout, String resultBaseUrl) {
        return new WebhookSettings(
                secret, policy, retryFor, DEFAULT_BACKOFF, timeout, timeout, resultBaseUrl, DEFAULT_TICK);
    }

    /** The same with other waits between attempts (tests shorten them). */
    public WebhookSettings withBackoff(Duration first, Duration longest, Duration newTick) {
        return new WebhookSettings(
                secret,
                policy,
                retryFor,
                new Backoff(first, longest),
                connectTimeout,
                readTimeout,
                resultBaseUrl,
                newTick);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public String toString() {
        // The secret stays out of logs.
        return "WebhookSettings[policy=" + policy + ", retryFor=" + retryFor + ", backoff=" + backoff
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", resultBaseUrl="
                + resultBaseUrl + "]";
    }

    /** The Standard Webhooks form {@code whsec_} + base64, with a key long enough for HMAC-SHA256. */
    static void requireSecret(String secret) {
        if (secret == null || !secret.startsWith("whsec_")) {
            throw new IllegalArgumentException("a webhook secret is whsec_ followed by base64");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the webhook secret after whsec_ is not base64", e);
        }
        if (key.length < 16) {
            throw new IllegalArgumentException("the webhook secret's key must be at least 16 bytes, not " + key.length);
        }
    }
}
