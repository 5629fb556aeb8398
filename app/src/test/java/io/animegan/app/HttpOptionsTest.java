package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.ingest.GuardSettings;
import io.animegan.ingest.GuardSettings.StreamLimits;
import io.animegan.ingest.IngestSettings;
import io.animegan.submission.RateLimit;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The HTTP options of {@code run} and {@code ingest}, as picocli parses them. */
class HttpOptionsTest {

    @TempDir
    Path dir;

    private static IngestSettings runSettings(String... args) {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs(args);
        return run.http.toSettings(run.port.port());
    }

    @Test
    void runBindsLoopbackByDefaultAndSaysSo() {
        IngestSettings settings = runSettings();
        assertThat(settings.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(settings.requiresToken()).isFalse();
        assertThat(settings.maxFilesPerRequest()).isEqualTo(20);
        assertThat(settings.rateLimit()).isEqualTo(new RateLimit(50, Duration.ofSeconds(1), 100));
        assertThat(settings.presignExpiry()).isEqualTo(Duration.ofMinutes(15));
        assertThat(HttpOptions.describe(settings, 8080))
                .isEqualTo(
                        "http://127.0.0.1:8080/ (bound to 127.0.0.1, this machine only; --bind or ANIMEGAN_BIND to expose)");
    }

    @Test
    void everySettingHasAnOption() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "# integrators\nfile-token-1\n\n  file-token-2  \n");
        IngestSettings settings = runSettings(
                "--port",
                "9090",
                "--bind",
                "0.0.0.0",
                "--api-tokens",
                "a1,b2",
                "--api-tokens-file",
                tokens.toString(),
                "--rate-limit",
                "600/m",
                "--rate-limit-burst",
                "30",
                "--max-files-per-request",
                "5",
                "--max-upload-bytes",
                "1000000",
                "--presign-expiry",
                "2h");
        assertThat(settings.port()).isEqualTo(9090);
        assertThat(settings.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(settings.loopbackOnly()).isFalse();
        assertThat(settings.apiTokens()).containsExactly("a1", "b2", "file-token-1", "file-token-2");
        assertThat(settings.rateLimit()).isEqualTo(new RateLimit(600, Duration.ofMinutes(1), 30));
        assertThat(settings.maxFilesPerRequest()).isEqualTo(5);
        assertThat(settings.maxUploadBytes()).isEqualTo(1_000_000);
        assertThat(settings.presignExpiry()).isEqualTo(Duration.ofHours(2));
        assertThat(HttpOptions.describe(settings, 9090))
                .contains("http://localhost:9090/")
                .contains("API tokens required");
        assertThat(HttpOptions.describe(runSettings("--bind", "0.0.0.0"), 80)).contains("NO API tokens");
        assertThat(runSettings("--rate-limit", "off").rateLimit().enabled()).isFalse();
        assertThat(runSettings("--presign-expiry", "PT90S").presignExpiry()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void hostsOriginsTheInternalPortAndStreamCapsHaveOptions() {
        GuardSettings defaults = runSettings().guards();
        assertThat(defaults.allowedHosts()).isEmpty();
        assertThat(defaults.allowedOrigins()).isEmpty();
        assertThat(defaults.internalPort()).isZero();
        assertThat(defaults.streams()).isEqualTo(StreamLimits.DEFAULT);

        GuardSettings guards = runSettings(
                        "--allowed-hosts",
                        "photos.example.org, Other.Example",
                        "--allowed-origins",
                        "https://photos.example.org/",
                        "--internal-port",
                        "8081",
                        "--max-streams-per-tenant",
                        "3",
                        "--max-streams",
                        "40",
                        "--stream-lifetime",
                        "5m")
                .guards();
        assertThat(guards.allowedHosts()).containsExactly("photos.example.org", "other.example");
        assertThat(guards.allowedOrigins()).containsExactly("https://photos.example.org");
        assertThat(guards.internalPort()).isEqualTo(8081);
        assertThat(guards.streams()).isEqualTo(new StreamLimits(3, 40, Duration.ofMinutes(5)));
    }

    @Test
    void ingestHasTheSameOptionsAndHelpNamesTheVariables() {
        IngestCommand ingest = new IngestCommand();
        new CommandLine(ingest).parseArgs("--bind", "10.1.2.3", "--max-files-per-request", "7");
        IngestSettings settings = ingest.http.toSettings(ingest.port.port());
        assertThat(settings.bindAddress()).isEqualTo("10.1.2.3");
        assertThat(settings.maxFilesPerRequest()).isEqualTo(7);

        StringWriter help = new StringWriter();
        new CommandLine(new IngestCommand()).usage(new PrintWriter(help));
        for (String env : List.of(
                "ANIMEGAN_BIND",
                "ANIMEGAN_API_TOKENS",
                "ANIMEGAN_API_TOKENS_FILE",
                "ANIMEGAN_RATE_LIMIT",
                "ANIMEGAN_RATE_LIMIT_BURST",
                "ANIMEGAN_MAX_FILES_PER_REQUEST",
                "ANIMEGAN_PRESIGN_EXPIRY",
                "ANIMEGAN_ALLOWED_HOSTS",
                "ANIMEGAN_ALLOWED_ORIGINS",
                "ANIMEGAN_INTERNAL_PORT",
                "ANIMEGAN_INTERNAL_SECRET",
                "ANIMEGAN_MAX_STREAMS_PER_TENANT",
                "ANIMEGAN_MAX_STREAMS",
                "ANIMEGAN_STREAM_LIFETIME")) {
            assertThat(help.toString()).contains(env);
        }
    }
}
