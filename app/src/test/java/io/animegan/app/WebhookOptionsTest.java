package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.webhook.WebhookSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The webhook options of {@code stage webhook} and {@code run}, as picocli parses them. */
class WebhookOptionsTest {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ACME = "whsec_YWNtZS1zaWducy13aXRoLWl0cy1vd24ta2V5";
    static final String GLOBEX = "whsec_Z2xvYmV4LWhhcy1hbm90aGVyLW9uZS1lbnRpcmVseQ==";

    @TempDir
    Path dir;

    private static WebhookSettings stageSettings(String... args) {
        StageCommand stage = new StageCommand();
        new CommandLine(stage).parseArgs(args);
        return stage.webhooks.toSettings();
    }

    @Test
    void tenantsSecretsComeFromTheOptionAndTheFileAndOthersGetTheServices() throws Exception {
        Path file = Files.writeString(dir.resolve("tenant-secrets"), "# tenant:secret\n\nglobex:" + GLOBEX + "\n");

        WebhookSettings settings = stageSettings(
                "webhook",
                "--webhook-secret",
                SECRET,
                "--webhook-tenant-secrets",
                "acme:" + ACME,
                "--webhook-tenant-secrets-file",
                file.toString());

        assertThat(settings.secretOf("acme")).isEqualTo(ACME);
        assertThat(settings.secretOf("globex")).isEqualTo(GLOBEX);
        assertThat(settings.secretOf("initech")).isEqualTo(SECRET);
        assertThat(settings.toString()).doesNotContain(ACME.substring(6), GLOBEX.substring(6), SECRET.substring(6));
    }

    @Test
    void aMalformedTenantSecretStopsTheStageNamingTheTenant() {
        assertThatThrownBy(() -> stageSettings(
                        "webhook", "--webhook-secret", SECRET, "--webhook-tenant-secrets", "acme:not-a-secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenant acme")
                .hasMessageNotContaining("not-a-secret");
    }
}
