package io.animegan.client.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook deliveries the way the Standard Webhooks specification does: HMAC-SHA256 with the
 * secret's bytes over {@code id.timestamp.body}, sent as {@code v1,<base64>} in the
 * {@code webhook-signature} header. The service's deliveries and {@link WebhookVerifier} both sign
 * here, so there is one implementation of the signature.
 */
public final class WebhookSigner {

    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";

    /** The prefix of a secret as the specification prints it: {@code whsec_} then base64. */
    private static final String SECRET_PREFIX = "whsec_";

    private static final String VERSION = "v1";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    /**
     * @param secret {@code whsec_} followed by the base64 of the key bytes; the prefix may be left out
     * @throws IllegalArgumentException when the rest is not base64 or is empty
     */
    public WebhookSigner(String secret) {
        String encoded = secret.strip();
        if (encoded.startsWith(SECRET_PREFIX)) {
            encoded = encoded.substring(SECRET_PREFIX.length());
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a webhook secret is " + SECRET_PREFIX + " followed by base64", e);
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException("the webhook secret is empty");
        }
        this.key = new SecretKeySpec(bytes, ALGORITHM);
    }

    /** The {@code webhook-signature} value of one delivery: {@code v1,} and the base64 HMAC. */
    public String sign(String id, long timestampSeconds, byte[] body) {
        return VERSION + "," + Base64.getEncoder().encodeToString(hmac(id, timestampSeconds, body));
    }

    /** The three headers of one delivery attempt, in the order the specification lists them. */
    public Map<String, String> headers(String id, long timestampSeconds, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ID_HEADER, id);
        headers.put(TIMESTAMP_HEADER, Long.toString(timestampSeconds));
        headers.put(SIGNATURE_HEADER, sign(id, timestampSeconds, body));
        return headers;
    }

    private byte[] hmac(String id, long timestampSeconds, byte[] body) {
        Mac mac;
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // Every Java runtime ships HmacSHA256, and any non-empty key suits it.
            throw new IllegalStateException(e);
        }
        mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
        return mac.doFinal(body);
    }
}
