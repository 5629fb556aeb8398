package io.animegan.webhook;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The signature itself is the client library's WebhookSigner, tested there against the specification's example. */
class WebhookSettingsTest {

    @Test
    void acceptsAStandardWebhooksSecret() {
        assertThatCode(() -> WebhookSettings.requireSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesSecretsThatAreNotWhsecBase64() {
        assertThatThrownBy(() -> WebhookSettings.requireSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whsec_");
        assertThatThrownBy(() -> WebhookSettings.requireSecret("whsec_not base64!"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookSettings.requireSecret("whsec_c2hvcnQ="))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16 bytes");
    }
}
