package io.animegan.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real S3-compatible HTTP server running inside this JVM: s3proxy with its filesystem backend
 * rooted at {@code dataDir/s3} (one sub-directory per bucket), so buckets and objects survive a
 * restart. Path-style requests, AWS signature v2 or v4 with one access key / secret key.
 *
 * <p>s3proxy's "filesystem" provider is its own NIO.2 blob store ({@code FilesystemNio2BlobStore}),
 * not jclouds, but it reads the basedir from {@code jclouds.filesystem.basedir}. Keys with slashes ({@code work/abc/faces/0/crop.png}) are
 * stored as nested directories.
 */
public final class EmbeddedS3 implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedS3.class);

    /** Default bind address. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Name of the object store directory under the data directory. */
    public static final String STORE_DIR_NAME = "s3";

    private final S3Proxy proxy;
    private final String endpointHost;
    private final int port;
    private final Path baseDir;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedS3(S3Proxy proxy, String endpointHost, int port, Path baseDir) {
        this.proxy = proxy;
        this.endpointHost = endpointHost;
        this.port = port;
        this.baseDir = baseDir;
    }

    /**
     * Starts the server on 127.0.0.1.
     *
     * @param dataDir   objects go under {@code dataDir/s3}; created if needed
     * @param port      the HTTP port, or 0 for any free port
     * @param accessKey the only accepted access key id
     * @param secretKey its secret key
     */
    public static EmbeddedS3 start(Path dataDir, int port, String accessKey, String secretKey) {
        return start(dataDir, DEFAULT_HOST, port, accessKey, secretKey);
    }

    /**
     * Starts the server on the given bind address ({@code 0.0.0.0} for all interfaces).
     */
    public static EmbeddedS3 start(Path dataDir, String bindHost, int port, String accessKey, String secretKey) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(bindHost, "bindHost");
        if (accessKey == null || accessKey.isEmpty() || secretKey == null || secretKey.isEmpty()) {
            throw new IllegalArgumentException("accessKey and secretKey must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        long t0 = System.nanoTime();
        Path baseDir = dataDir.toAbsolutePath().resolve(STORE_DIR_NAME);
        try {
            Files.createDirectories(baseDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create S3 store dir " + baseDir, e);
        }

        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", baseDir.toString());
        BlobStore blobStore = BlobStores.create("filesystem", props);

        String uriHost = bindHost.contains(":") ? "[" + bindHost + "]" : bindHost;
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://" + uriHost + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            try {
                proxy.stop();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IllegalStateException(
                    "Cannot start S3 server on " + bindHost + ":" + port + ": " + e.getMessage(), e);
        }
        String endpointHost = isWildcard(bindHost) ? DEFAULT_HOST : uriHost;
        EmbeddedS3 s3 = new EmbeddedS3(proxy, endpointHost, proxy.getPort(), baseDir);
        log.info(
                "S3 server on {} (store {}) in {} ms",
                s3.endpoint(),
                baseDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return s3;
    }

    /** The S3 endpoint URL, e.g. {@code http://127.0.0.1:9000}. */
    public String endpoint() {
        return "http://" + endpointHost + ":" + port;
    }

    /** The HTTP port the server listens on. */
    public int port() {
        return port;
    }

    /** Stops the server; calling it again does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            log.warn("S3 server shutdown failed", e);
        }
        log.info("S3 server on {} stopped", endpoint());
    }

    @Override
    public String toString() {
        return "EmbeddedS3[" + endpoint() + ", " + baseDir + "]";
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }
}
