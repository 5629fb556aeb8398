package io.animegan.client.webhook;

import io.animegan.client.webhook.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Checks a webhook delivery as the Standard Webhooks specification says a receiver should: the
 * timestamp lies within the tolerance of now (5 minutes unless told otherwise) and one of the
 * space-separated {@code v1,<base64>} signatures matches the body, compared in constant time.
 *
 * <pre>{@code
 * WebhookVerifier verifier = new WebhookVerifier(System.getenv("ANIMEGAN_WEBHOOK_SECRET"));
 * verifier.verify(headers, rawBody); // throws WebhookVerificationException
 * }</pre>
 */
public final class WebhookVerifier {

    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final WebhookSigner signer;
    private final Duration tolerance;
    private final Clock clock;

    /** @param secret {@code whsec_} followed by base64, as the service is configured with */
    public WebhookVerifier(String secret) {
        this(secret, DEFAULT_TOLERANCE, Clock.systemUTC());
    }

    public WebhookVerifier(String secret, Duration tolerance, Clock clock) {
        this.signer = new WebhookSigner(secret);
        this.tolerance = tolerance;
        this.clock = clock;
    }

    /**
     * @param headers the request's headers; names in any case
     * @param body the request body exactly as received, before any JSON parsing
     */
    public void verify(Map<String, String> headers, byte[] body) throws WebhookVerificationException {
        verify(
                header(headers, WebhookSigner.ID_HEADER),
                header(headers, WebhookSigner.TIMESTAMP_HEADER),
                header(headers, WebhookSigner.SIGNATURE_HEADER),
                body);
    }

    /** The same check with the three header values given one by one. */
    public void verify(String id, String timestamp, String signatures, byte[] body)
            throws WebhookVerificationException {
        if (id == null || timestamp == null || signatures == null) {
            throw new WebhookVerificationException(Reason.MISSING_HEADER, "a webhook-* header is missing");
        }
        long seconds = timestampSeconds(timestamp);
        byte[] expected = signer.sign(id, seconds, body).getBytes(StandardCharsets.UTF_8);
        for (String signature : signatures.strip().split(" +")) {
            if (MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8))) {
                return;
            }
        }
        throw new WebhookVerificationException(Reason.NO_MATCHING_SIGNATURE, "no signature matches the body");
    }

    private long timestampSeconds(String timestamp) throws WebhookVerificationException {
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            throw new WebhookVerificationException(
                    Reason.MALFORMED_TIMESTAMP, "webhook-timestamp is not a number of seconds: " + timestamp);
        }
        long now = clock.instant().getEpochSecond();
        if (seconds < now - tolerance.toSeconds() || seconds > now + tolerance.toSeconds()) {
            throw new WebhookVerificationException(
                    Reason.TIMESTAMP_OUT_OF_TOLERANCE,
                    "webhook-timestamp " + seconds + " is more than " + tolerance + " away from now (" + now + ")");
        }
        return seconds;
    }

    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }
}
