package io.animegan.ingest;

import io.animegan.status.StatusSettings;
import io.animegan.submission.RateLimit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How this ingest instance listens and what it accepts: the one typed place for its HTTP settings.
 *
 * @param port HTTP port; 0 picks any free port (see {@link IngestServer#port()})
 * @param maxUploadBytes largest accepted file, in bytes; a larger one is refused with 413
 * @param bindAddress interface to listen on; {@link #LOCALHOST} unless the service is meant to be reached from elsewhere
 * @param apiTokens bearer tokens any of which opens {@code /api}; empty means the API is open
 * @param rateLimit per-client token bucket on {@code /api}, or {@link RateLimit#OFF}
 * @param maxFilesPerRequest most file parts one upload may carry; more are refused with 413
 * @param presignExpiry how long a presigned result URL ({@code ?redirect=true}) stays valid
 * @param examplesDir photos the web page offers as examples; null for none
 * @param status retention, cleanup and the host advertised to other instances
 * @param guards allowed hosts and origins, the internal port, event stream caps
 */
public record IngestSettings(
        int port,
        long maxUploadBytes,
        String bindAddress,
        List<String> apiTokens,
        RateLimit rateLimit,
        int maxFilesPerRequest,
        Duration presignExpiry,
        Path examplesDir,
        StatusSettings status,
        GuardSettings guards) {

    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 25L * 1024 * 1024;
    public static final String LOCALHOST = "127.0.0.1";
    public static final int DEFAULT_MAX_FILES_PER_REQUEST = 20;
    public static final Duration DEFAULT_PRESIGN_EXPIRY = Duration.ofMinutes(15);
    /** S3's own ceiling for a presigned URL's validity (SigV4). */
    public static final Duration MAX_PRESIGN_EXPIRY = Duration.ofDays(7);
    /** Examples folder used when none is configured and it exists: the repository's sample photos. */
    public static final Path DEFAULT_EXAMPLES_DIR = Path.of("samples");

    public IngestSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, not " + port);
        }
        if (maxUploadBytes <= 0) {
            throw new IllegalArgumentException("maxUploadBytes must be positive, not " + maxUploadBytes);
        }
        if (bindAddress == null || bindAddress.isBlank()) {
            throw new IllegalArgumentException("bindAddress must be an address or host name");
        }
        apiTokens = List.copyOf(Objects.requireNonNull(apiTokens, "apiTokens"));
        if (apiTokens.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("API tokens must not be blank");
        }
        Objects.requireNonNull(rateLimit, "rateLimit");
        if (maxFilesPerRequest < 1) {
            throw new IllegalArgumentException("maxFilesPerRequest must be at least 1, not " + maxFilesPerRequest);
        }
        if (presignExpiry.compareTo(Duration.ofSeconds(1)) < 0 || presignExpiry.compareTo(MAX_PRESIGN_EXPIRY) > 0) {
            throw new IllegalArgumentException("presignExpiry must be from 1 s to 7 days, not " + presignExpiry);
        }
        if (status == null) {
            status = StatusSettings.defaults();
        }
        if (guards == null) {
            guards = GuardSettings.defaults();
        }
    }

    /** Defaults for everything but port and file size. */
    public IngestSettings(int port, long maxUploadBytes) {
        this(
                port,
                maxUploadBytes,
                LOCALHOST,
                List.of(),
                RateLimit.DEFAULT,
                DEFAULT_MAX_FILES_PER_REQUEST,
                DEFAULT_PRESIGN_EXPIRY,
                Files.isDirectory(DEFAULT_EXAMPLES_DIR) ? DEFAULT_EXAMPLES_DIR : null,
                StatusSettings.defaults(),
                GuardSettings.defaults());
    }

    public static IngestSettings defaults() {
        return new IngestSettings(DEFAULT_PORT, DEFAULT_MAX_UPLOAD_BYTES);
    }

    public IngestSettings withPort(int newPort) {
        return new IngestSettings(
                newPort,
                maxUploadBytes,
                bindAddress,
                apiTokens,
                rateLimit,
                maxFilesPerRequest,
                presignExpiry,
                examplesDir,
                status,
                guards);
    }

    public IngestSettings withBindAddress(String address) {
        return new IngestSettings(
                port,
                maxUploadBytes,
                address,
                apiTokens,
                rateLimit,
                maxFilesPerRequest,
                presignExpiry,
                examplesDir,
                status,
                guards);
    }

    public IngestSettings withApiTokens(List<String> tokens) {
        return new IngestSettings(
                port,
                maxUploadBytes,
                bindAddress,
                tokens,
                rateLimit,
                maxFilesPerRequest,
                presignExpiry,
                examplesDir,
                status,
                guards);
    }

    public IngestSettings withRateLimit(RateLimit limit) {
        return new IngestSettings(
                port,
                maxUploadBytes,
                bindAddress,
                apiTokens,
                limit,
                maxFilesPerRequest,
                presignExpiry,
                examplesDir,
                status,
                guards);
    }

    public IngestSettings withMaxFilesPerRequest(int files) {
        return new IngestSettings(
                port,
                maxUploadBytes,
                bindAddress,
                apiTokens,
                rateLimit,
                files,
                presignExpiry,
                examplesDir,
                status,
                guards);
    }

    public IngestSettings withPresignExpiry(Duration expiry) {
        return new IngestSettings(
                port,
                maxUploadBytes,
                bindAddress,
                apiTokens,
                rateLimit,
                maxFilesPerRequest,
                expiry,
                examplesDir,
                status,
                guards);
    }

    public IngestSettings withExamplesDir(Path dir) {
        return new IngestSettings(
                port,
                maxUploadBytes,
                bindAddress,
                apiTokens,
                rateLimit,
                maxFilesPerRequest,
                presignExpiry,
                dir,
                status,
                guards);
    }

    public IngestSettings withStatus(StatusSettings newStatus) {
        return new IngestSettings(
                port,
                maxUploadBytes,
                bindAddress,
                apiTokens,
                rateLimit,
                maxFilesPerRequest,
                presignExpiry,
                examplesDir,
                newStatus,
                guards);
    }

    public IngestSettings withGuards(GuardSettings newGuards) {
        return new IngestSettings(
                port,
                maxUploadBytes,
                bindAddress,
                apiTokens,
                rateLimit,
                maxFilesPerRequest,
                presignExpiry,
                examplesDir,
                status,
                newGuards);
    }

    /** Whether the API asks for a bearer token. */
    public boolean requiresToken() {
        return !apiTokens.isEmpty();
    }

    /** Whether the bind address is reachable only from this machine. */
    public boolean loopbackOnly() {
        try {
            return java.net.InetAddress.getByName(bindAddress).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        // Tokens are secrets: never in logs.
        return "IngestSettings[port=" + port + ", maxUploadBytes=" + maxUploadBytes + ", bindAddress=" + bindAddress
                + ", apiTokens=" + apiTokens.size() + ", rateLimit=" + rateLimit + ", maxFilesPerRequest="
                + maxFilesPerRequest
                + ", presignExpiry=" + presignExpiry + ", examplesDir=" + examplesDir + ", status=" + status
                + ", guards=" + guards + "]";
    }
}
