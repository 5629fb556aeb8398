package io.animegan.app;

import io.animegan.common.webhook.CallbackPolicy;
import io.animegan.ingest.GuardSettings;
import io.animegan.ingest.GuardSettings.StreamLimits;
import io.animegan.ingest.IngestSettings;
import io.animegan.submission.AdmissionLimits;
import io.animegan.submission.RateLimit;
import io.animegan.submission.VideoAdmission;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How the HTTP API listens and whom it serves, shared by {@code run} and {@code ingest}. Every
 * option can also come from an environment variable (ANIMEGAN_...).
 */
public final class HttpOptions {

    @Option(
            names = "--bind",
            defaultValue = "${env:ANIMEGAN_BIND:-" + IngestSettings.LOCALHOST + "}",
            description = "Address the HTTP server listens on (env ANIMEGAN_BIND); 0.0.0.0 for every interface. "
                    + "Default: ${DEFAULT-VALUE} (this machine only)")
    String bind;

    @Option(
            names = "--api-tokens",
            split = ",",
            defaultValue = "${env:ANIMEGAN_API_TOKENS}",
            description =
                    "Comma-separated bearer tokens; when set, every /api call needs 'Authorization: Bearer <token>' "
                            + "(env ANIMEGAN_API_TOKENS; prefer the variable or --api-tokens-file: options show in process lists)")
    List<String> apiTokens;

    @Option(
            names = "--api-tokens-file",
            defaultValue = "${env:ANIMEGAN_API_TOKENS_FILE}",
            description =
                    "File with one bearer token per line, as tenant:token (a line without a colon is tenant default) ('#' starts a comment), added to --api-tokens "
                            + "(env ANIMEGAN_API_TOKENS_FILE)")
    Path apiTokensFile;

    @Option(
            names = "--rate-limit",
            defaultValue = "${env:ANIMEGAN_RATE_LIMIT:-50/s}",
            description = "Requests per client to /api: N/s, N/m, N/h or off; a client is its token, else its address "
                    + "(env ANIMEGAN_RATE_LIMIT). Default: ${DEFAULT-VALUE}")
    String rateLimit;

    @Option(
            names = "--rate-limit-burst",
            defaultValue = "${env:ANIMEGAN_RATE_LIMIT_BURST:-100}",
            description = "Most requests a client may make at once before the rate applies; 0 = the rate's N "
                    + "(env ANIMEGAN_RATE_LIMIT_BURST). Default: ${DEFAULT-VALUE}")
    long rateLimitBurst;

    @Option(
            names = "--max-files-per-request",
            defaultValue =
                    "${env:ANIMEGAN_MAX_FILES_PER_REQUEST:-" + IngestSettings.DEFAULT_MAX_FILES_PER_REQUEST + "}",
            description = "Most files one upload request may carry; more are refused with 413 "
                    + "(env ANIMEGAN_MAX_FILES_PER_REQUEST). Default: ${DEFAULT-VALUE}")
    int maxFilesPerRequest;

    @Option(
            names = "--max-upload-bytes",
            defaultValue = "${env:ANIMEGAN_MAX_UPLOAD_BYTES:-" + IngestSettings.DEFAULT_MAX_UPLOAD_BYTES + "}",
            description = "Largest accepted file in bytes (env ANIMEGAN_MAX_UPLOAD_BYTES). Default: ${DEFAULT-VALUE}")
    long maxUploadBytes;

    @Option(
            names = "--max-video-bytes",
            defaultValue = "${env:ANIMEGAN_MAX_VIDEO_BYTES:-" + VideoAdmission.DEFAULT_MAX_BYTES + "}",
            description = "Largest accepted video clip in bytes, and most clip bytes one request may carry; more "
                    + "is refused with 413 (env ANIMEGAN_MAX_VIDEO_BYTES). Default: ${DEFAULT-VALUE}")
    long maxVideoBytes;

    @Option(
            names = "--max-video-side",
            defaultValue = "${env:ANIMEGAN_MAX_VIDEO_SIDE:-" + VideoAdmission.DEFAULT_MAX_OUTPUT_SIDE + "}",
            description = "Longest side of a clip's output frames a request may ask for, and the default "
                    + "(env ANIMEGAN_MAX_VIDEO_SIDE). Default: ${DEFAULT-VALUE}")
    int maxVideoSide;

    /** The bounds of clip uploads. */
    VideoAdmission toVideoAdmission() {
        return new VideoAdmission(maxVideoBytes, maxVideoSide);
    }

    @Option(
            names = "--presign-expiry",
            defaultValue = "${env:ANIMEGAN_PRESIGN_EXPIRY:-15m}",
            converter = DurationConverter.class,
            description =
                    "Validity of the presigned S3 URL that GET /api/images/{id}/result?redirect=true answers with, "
                            + "e.g. 900s, 15m, 1h (env ANIMEGAN_PRESIGN_EXPIRY). Default: ${DEFAULT-VALUE}")
    Duration presignExpiry;

    @Option(
            names = "--examples",
            defaultValue = "${env:ANIMEGAN_EXAMPLES_DIR}",
            description = "Folder of example photos the web page offers (env ANIMEGAN_EXAMPLES_DIR). "
                    + "Default: ./samples when it exists (./animegan sets the variable to its own samples/)")
    Path examplesDir;

    @Option(
            names = "--job-input-prefix",
            defaultValue = "${env:ANIMEGAN_JOB_INPUT_PREFIX:-" + AdmissionLimits.DEFAULT_JOB_INPUT_PREFIX + "}",
            description =
                    "Where a tenant's job keys (POST /api/jobs with keys) must lie; {tenant} becomes the tenant id "
                            + "(env ANIMEGAN_JOB_INPUT_PREFIX). Default: ${DEFAULT-VALUE}")
    String jobInputPrefix;

    @Option(
            names = "--max-request-bytes",
            defaultValue = "${env:ANIMEGAN_MAX_REQUEST_BYTES:-" + AdmissionLimits.DEFAULT_MAX_REQUEST_BYTES + "}",
            description = "Most bytes one upload request carries, and one job's objects hold together; more is refused "
                    + "with 413 (env ANIMEGAN_MAX_REQUEST_BYTES). Default: ${DEFAULT-VALUE}")
    long maxRequestBytes;

    @Option(
            names = "--upload-memory-budget",
            defaultValue = "${env:ANIMEGAN_UPLOAD_MEMORY_BUDGET:-0}",
            description =
                    "Bytes of uploads all requests together may hold in memory; a request that cannot get its share "
                            + "within 10 s gets 503 with Retry-After; 0 = a quarter of the heap (env ANIMEGAN_UPLOAD_MEMORY_BUDGET). "
                            + "Default: ${DEFAULT-VALUE}")
    long uploadMemoryBudget;

    @Option(
            names = "--tenant-pictures-per-minute",
            defaultValue =
                    "${env:ANIMEGAN_TENANT_PICTURES_PER_MINUTE:-" + AdmissionLimits.DEFAULT_PICTURES_PER_MINUTE + "}",
            description =
                    "Pictures each tenant may submit per minute (each style counts), per instance; over it 429 with "
                            + "Retry-After; 0 = off (env ANIMEGAN_TENANT_PICTURES_PER_MINUTE). Default: ${DEFAULT-VALUE}")
    long tenantPicturesPerMinute;

    @Option(
            names = "--tenant-max-stored-bytes",
            defaultValue = "${env:ANIMEGAN_TENANT_MAX_STORED_BYTES:-" + AdmissionLimits.DEFAULT_MAX_STORED_BYTES + "}",
            description =
                    "Bytes of originals each tenant may keep stored until retention deletes them, across instances; "
                            + "over it 429 with Retry-After; 0 = off (env ANIMEGAN_TENANT_MAX_STORED_BYTES). Default: ${DEFAULT-VALUE}")
    long tenantMaxStoredBytes;

    /** The tenants' quotas and the bounds of uploads; callbacks to public addresses only (see {@link WebhookOptions}). */
    AdmissionLimits toLimits() {
        return new AdmissionLimits(
                jobInputPrefix,
                maxRequestBytes,
                uploadMemoryBudget,
                tenantPicturesPerMinute,
                tenantMaxStoredBytes,
                CallbackPolicy.STRICT);
    }

    @Option(
            names = "--allowed-hosts",
            split = ",",
            defaultValue = "${env:ANIMEGAN_ALLOWED_HOSTS}",
            description = "Host names (any port) requests may be addressed to, against DNS rebinding; others get 421 "
                    + "(env ANIMEGAN_ALLOWED_HOSTS). Default: localhost, 127.0.0.1 and [::1] when bound to loopback, any name "
                    + "otherwise (with a warning)")
    List<String> allowedHosts;

    @Option(
            names = "--allowed-origins",
            split = ",",
            defaultValue = "${env:ANIMEGAN_ALLOWED_ORIGINS}",
            description =
                    "Origins besides the service's own (e.g. https://photos.example.org, the public origin behind a "
                            + "TLS proxy) whose pages may send POST/PUT/PATCH/DELETE; other sites get 403 (env ANIMEGAN_ALLOWED_ORIGINS)")
    List<String> allowedOrigins;

    @Option(
            names = "--internal-port",
            defaultValue = "${env:ANIMEGAN_INTERNAL_PORT:-0}",
            description = "Port of the instance-to-instance status routes, on the bind address; keep it out of any "
                    + "Service or firewall opening; 0 picks a free one (env ANIMEGAN_INTERNAL_PORT). Default: ${DEFAULT-VALUE}. "
                    + "Set ANIMEGAN_INTERNAL_SECRET to have instances also prove a shared secret there")
    int internalPort;

    @Option(
            names = "--max-streams-per-tenant",
            defaultValue = "${env:ANIMEGAN_MAX_STREAMS_PER_TENANT:-20}",
            description = "Open event streams one tenant (with tokens off, one address) may hold; more get 429 "
                    + "(env ANIMEGAN_MAX_STREAMS_PER_TENANT). "
                    + "Default: ${DEFAULT-VALUE}")
    int maxStreamsPerTenant;

    @Option(
            names = "--max-streams",
            defaultValue = "${env:ANIMEGAN_MAX_STREAMS:-500}",
            description = "Open event streams this instance holds in total; more get 503 (env ANIMEGAN_MAX_STREAMS). "
                    + "Default: ${DEFAULT-VALUE}")
    int maxStreams;

    @Option(
            names = "--stream-lifetime",
            defaultValue = "${env:ANIMEGAN_STREAM_LIFETIME:-30m}",
            converter = DurationConverter.class,
            description =
                    "An event stream is ended after this long; the page reconnects (env ANIMEGAN_STREAM_LIFETIME). "
                            + "Default: ${DEFAULT-VALUE}")
    Duration streamLifetime;

    IngestSettings toSettings(int port) {
        if (examplesDir != null && !Files.isDirectory(examplesDir)) {
            throw new IllegalArgumentException("examples folder " + examplesDir + " does not exist");
        }
        IngestSettings defaults = IngestSettings.defaults();
        return new IngestSettings(
                port,
                maxUploadBytes,
                bind,
                tokens(),
                RateLimit.parse(rateLimit, rateLimitBurst),
                maxFilesPerRequest,
                presignExpiry,
                examplesDir != null ? examplesDir : defaults.examplesDir(),
                defaults.status(),
                guards());
    }

    /** The internal secret comes from the environment only: an option would show in process lists. */
    private GuardSettings guards() {
        return new GuardSettings(
                orEmpty(allowedHosts),
                orEmpty(allowedOrigins),
                internalPort,
                System.getenv("ANIMEGAN_INTERNAL_SECRET"),
                new StreamLimits(maxStreamsPerTenant, maxStreams, streamLifetime));
    }

    private static List<String> orEmpty(List<String> values) {
        return values == null ? List.of() : values;
    }

    /** Where the start-up line sends people, and what it says about who can reach it. */
    static String describe(IngestSettings settings, int port) {
        String host = settings.bindAddress().equals("0.0.0.0")
                        || settings.bindAddress().equals("::")
                ? "localhost"
                : settings.bindAddress();
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/";
        String reach = settings.loopbackOnly()
                ? "bound to " + settings.bindAddress() + ", this machine only; --bind or ANIMEGAN_BIND to expose"
                : "bound to " + settings.bindAddress() + (settings.requiresToken() ? "" : ", NO API tokens");
        String tokens = settings.requiresToken() ? "; API tokens required" : "";
        return url + " (" + reach + tokens + ")";
    }

    private List<String> tokens() {
        List<String> all = new ArrayList<>();
        if (apiTokens != null) {
            apiTokens.stream().map(String::strip).filter(t -> !t.isEmpty()).forEach(all::add);
        }
        if (apiTokensFile != null) {
            try {
                Files.readAllLines(apiTokensFile).stream()
                        .map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                        .forEach(all::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the API tokens file " + apiTokensFile, e);
            }
        }
        return all;
    }
}
