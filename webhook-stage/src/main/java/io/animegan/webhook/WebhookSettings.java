package io.animegan.webhook;

import io.animegan.common.webhook.CallbackPolicy;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * @param tenantSecrets each tenant's own signing secret by tenant id; a tenant not named here is
 *     signed with {@code secret}
 */
public record WebhookSettings(
        String secret,
        CallbackPolicy policy,
        Duration retryFor,
        Backoff backoff,
        Duration connectTimeout,
        Duration readTimeout,
        String resultBaseUrl,
        Duration tick,
        Map<String, String> tenantSecrets) {

    public static final Duration DEFAULT_RETRY_FOR = Duration.ofHours(24);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Receivers are expected to answer quickly and work afterwards: longer waits are cut to this. */
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);

    static final Backoff DEFAULT_BACKOFF = new Backoff(Duration.ofSeconds(5), Duration.ofHours(1));
    static final Duration DEFAULT_TICK = Duration.ofSeconds(1);

    public WebhookSettings {
        requireSecret(secret); // a bad secret stops the stage at start, not at the first delivery
        tenantSecrets = Map.copyOf(tenantSecrets);
        tenantSecrets.forEach((tenant, tenantSecret) -> requireTenantSecret(tenant, tenantSecret));
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
                secret, policy, retryFor, DEFAULT_BACKOFF, timeout, timeout, resultBaseUrl, DEFAULT_TICK, Map.of());
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
                newTick,
                tenantSecrets);
    }

    /** The same with these tenants signed with their own secrets. */
    public WebhookSettings withTenantSecrets(Map<String, String> secrets) {
        return new WebhookSettings(
                secret, policy, retryFor, backoff, connectTimeout, readTimeout, resultBaseUrl, tick, secrets);
    }

    /** The secret a tenant's deliveries are signed with: its own, else the service's. */
    public String secretOf(String tenant) {
        return tenant == null ? secret : tenantSecrets.getOrDefault(tenant, secret);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public String toString() {
        // The secret stays out of logs.
        return "WebhookSettings[policy=" + policy + ", retryFor=" + retryFor + ", backoff=" + backoff
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", resultBaseUrl="
                + resultBaseUrl + ", tenantSecrets=" + tenantSecrets.keySet() + "]";
    }

    /**
     * Tenants' own secrets as configured: one {@code tenant:whsec_...} entry each, the first colon
     * separating the tenant id from its secret (the tenant ids of the API tokens).
     */
    public static Map<String, String> parseTenantSecrets(List<String> entries) {
        Map<String, String> secrets = new HashMap<>();
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            String tenant = colon < 0 ? "" : entry.substring(0, colon).strip();
            if (tenant.isEmpty()) {
                throw new IllegalArgumentException("a tenant's webhook secret is configured as tenant:whsec_...");
            }
            if (secrets.put(tenant, entry.substring(colon + 1).strip()) != null) {
                throw new IllegalArgumentException("tenant " + tenant + " has more than one webhook secret");
            }
        }
        return secrets;
    }

    private static void requireTenantSecret(String tenant, String tenantSecret) {
        try {
            requireSecret(tenantSecret);
        } catch (IllegalArgumentException e) {
            // The message names the tenant only: the secret stays out of logs even when it is malformed.
            throw new IllegalArgumentException("tenant " + tenant + "'s webhook secret: " + e.getMessage(), e);
        }
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
