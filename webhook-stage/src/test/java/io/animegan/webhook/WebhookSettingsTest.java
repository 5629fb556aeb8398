package io.animegan.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.common.webhook.CallbackPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    @Test
    void aTenantIsSignedWithItsOwnSecretAndOthersWithTheServices() {
        WebhookSettings settings = settings()
                .withTenantSecrets(WebhookSettings.parseTenantSecrets(List.of(
                        "acme:" + WebhookTopologyTest.ACME_SECRET, " globex : " + WebhookTopologyTest.GLOBEX_SECRET)));
        assertThat(settings.secretOf("acme")).isEqualTo(WebhookTopologyTest.ACME_SECRET);
        assertThat(settings.secretOf("globex")).isEqualTo(WebhookTopologyTest.GLOBEX_SECRET);
        assertThat(settings.secretOf("initech")).isEqualTo(WebhookTopologyTest.SECRET);
        assertThat(settings.secretOf(null)).isEqualTo(WebhookTopologyTest.SECRET);
        assertThat(settings.toString())
                .contains("acme", "globex")
                .doesNotContain(WebhookTopologyTest.ACME_SECRET.substring(6), WebhookTopologyTest.SECRET.substring(6));
    }

    @Test
    void refusesMalformedTenantSecretsNamingTheTenantOnly() {
        assertThatThrownBy(() -> WebhookSettings.parseTenantSecrets(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenant:whsec_");
        assertThatThrownBy(() -> WebhookSettings.parseTenantSecrets(List.of(
                        "acme:" + WebhookTopologyTest.ACME_SECRET, "acme:" + WebhookTopologyTest.GLOBEX_SECRET)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than one");
        assertThatThrownBy(() -> settings().withTenantSecrets(Map.of("acme", "whsec_c2hvcnQ=")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenant acme")
                .hasMessageNotContaining("c2hvcnQ");
    }

    private static WebhookSettings settings() {
        return WebhookSettings.of(
                WebhookTopologyTest.SECRET, CallbackPolicy.STRICT, Duration.ofHours(1), Duration.ofSeconds(5), "");
    }
}
