package io.animegan.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook the way the Standard Webhooks specification does: HMAC-SHA256 over
 * {@code msgId + "." + timestamp + "." + body} with the secret's key (the base64 after the
 * {@code whsec_} prefix), sent as {@code webhook-signature: v1,<base64>}.
 */
final class WebhookSignature {

    static final String PREFIX = "whsec_";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    WebhookSignature(String whsecSecret) {
        if (whsecSecret == null || !whsecSecret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret is " + PREFIX + " followed by base64");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(whsecSecret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the webhook secret after " + PREFIX + " is not base64", e);
        }
        if (bytes.length < 16) {
            throw new IllegalArgumentException("the webhook secret's key must be at least 16 bytes, not " + bytes.length);
        }
        this.key = new SecretKeySpec(bytes, ALGORITHM);
    }

    /** The {@code webhook-signature} header value of one delivery attempt. */
    String sign(String msgId, long timestampSeconds, byte[] body) {
        Mac mac;
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
        mac.update((msgId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }
}
