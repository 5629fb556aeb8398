package io.animegan.client.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.client.webhook.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signing and verification against the Standard Webhooks specification and its published example. */
class WebhookVerifierTest {

    /** The example every Standard Webhooks reference library tests itself against. */
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SPEC_TIMESTAMP = 1614265330;
    private static final byte[] SPEC_BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static final byte[] BODY = "{\"id\":\"img-1\",\"status\":\"done\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsThePublishedExampleExactly() {
        assertThat(new WebhookSigner(SPEC_SECRET).sign(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY))
                .isEqualTo(SPEC_SIGNATURE);
        assertThat(new WebhookSigner(SPEC_SECRET.substring("whsec_".length())).sign(SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY))
                .as("the prefix is optional")
                .isEqualTo(SPEC_SIGNATURE);
    }

    @Test
    void verifiesThePublishedExampleAtItsTime() throws Exception {
        WebhookVerifier verifier =
                new WebhookVerifier(SPEC_SECRET, WebhookVerifier.DEFAULT_TOLERANCE, at(SPEC_TIMESTAMP));
        verifier.verify(
                Map.of("Webhook-Id", SPEC_ID, "Webhook-Timestamp", "1614265330", "Webhook-Signature", SPEC_SIGNATURE),
                SPEC_BODY);
    }

    @Test
    void roundTripsWithAFreshSecret() throws Exception {
        String secret = freshSecret();
        long now = Instant.now().getEpochSecond();
        Map<String, String> headers = new WebhookSigner(secret).headers("msg_1", now, BODY);

        new WebhookVerifier(secret).verify(headers, BODY);
    }

    @Test
    void acceptsAnyOfSeveralSignaturesAndIgnoresOtherVersions() throws Exception {
        String secret = freshSecret();
        long now = Instant.now().getEpochSecond();
        String good = new WebhookSigner(secret).sign("msg_1", now, BODY);
        String old = new WebhookSigner(freshSecret()).sign("msg_1", now, BODY);

        new WebhookVerifier(secret).verify("msg_1", Long.toString(now), "v1a,abc " + old + " " + good, BODY);
    }

    @Test
    void refusesAWrongSecret() {
        long now = Instant.now().getEpochSecond();
        Map<String, String> headers = new WebhookSigner(freshSecret()).headers("msg_1", now, BODY);

        assertRefused(() -> new WebhookVerifier(freshSecret()).verify(headers, BODY), Reason.NO_MATCHING_SIGNATURE);
    }

    @Test
    void refusesAChangedBodyOrId() {
        String secret = freshSecret();
        long now = Instant.now().getEpochSecond();
        String signature = new WebhookSigner(secret).sign("msg_1", now, BODY);
        WebhookVerifier verifier = new WebhookVerifier(secret);

        assertRefused(
                () -> verifier.verify("msg_1", Long.toString(now), signature, "{}".getBytes(StandardCharsets.UTF_8)),
                Reason.NO_MATCHING_SIGNATURE);
        assertRefused(
                () -> verifier.verify("msg_2", Long.toString(now), signature, BODY), Reason.NO_MATCHING_SIGNATURE);
    }

    @Test
    void refusesATimestampOutsideTheTolerance() {
        String secret = freshSecret();
        long now = Instant.now().getEpochSecond();
        WebhookSigner signer = new WebhookSigner(secret);
        WebhookVerifier verifier = new WebhookVerifier(secret);

        long expired = now - Duration.ofMinutes(6).toSeconds();
        assertRefused(
                () -> verifier.verify(signer.headers("msg_1", expired, BODY), BODY), Reason.TIMESTAMP_OUT_OF_TOLERANCE);
        long future = now + Duration.ofMinutes(6).toSeconds();
        assertRefused(
                () -> verifier.verify(signer.headers("msg_1", future, BODY), BODY), Reason.TIMESTAMP_OUT_OF_TOLERANCE);
        long recent = now - Duration.ofMinutes(4).toSeconds();
        assertThat(catchRefusal(() -> verifier.verify(signer.headers("msg_1", recent, BODY), BODY)))
                .isNull();
    }

    @Test
    void refusesMissingHeadersAndAMalformedTimestamp() {
        WebhookVerifier verifier = new WebhookVerifier(freshSecret());

        assertRefused(() -> verifier.verify(Map.of("webhook-id", "msg_1"), BODY), Reason.MISSING_HEADER);
        assertRefused(() -> verifier.verify("msg_1", "yesterday", "v1,abc", BODY), Reason.MALFORMED_TIMESTAMP);
    }

    @Test
    void refusesASecretThatIsNotBase64() {
        assertThatThrownBy(() -> new WebhookSigner("whsec_not base64!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebhookSigner("whsec_")).isInstanceOf(IllegalArgumentException.class);
    }

    private interface Verification {
        void run() throws WebhookVerificationException;
    }

    private static void assertRefused(Verification verification, Reason reason) {
        assertThat(catchRefusal(verification))
                .isNotNull()
                .extracting(WebhookVerificationException::reason)
                .isEqualTo(reason);
    }

    private static WebhookVerificationException catchRefusal(Verification verification) {
        try {
            verification.run();
            return null;
        } catch (WebhookVerificationException e) {
            return e;
        }
    }

    private static Clock at(long epochSecond) {
        return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
    }

    private static String freshSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }
}
