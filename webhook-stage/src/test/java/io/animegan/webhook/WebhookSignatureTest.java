package io.animegan.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    @Test
    void signsTheStandardWebhooksExample() {
        // The example of the Standard Webhooks specification's reference libraries.
        WebhookSignature signature = new WebhookSignature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(signature.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void idTimestampAndBodyAllCount() {
        WebhookSignature signature = new WebhookSignature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String reference = signature.sign("msg_1", 10, body);
        assertThat(signature.sign("msg_2", 10, body)).isNotEqualTo(reference);
        assertThat(signature.sign("msg_1", 11, body)).isNotEqualTo(reference);
        assertThat(signature.sign("msg_1", 10, "{ }".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(reference);
        assertThat(new WebhookSignature("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").sign("msg_1", 10, body))
                .isNotEqualTo(reference);
    }

    @Test
    void refusesSecretsThatAreNotWhsecBase64() {
        assertThatThrownBy(() -> new WebhookSignature("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whsec_");
        assertThatThrownBy(() -> new WebhookSignature("whsec_not base64!")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebhookSignature("whsec_c2hvcnQ=")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16 bytes");
    }
}
