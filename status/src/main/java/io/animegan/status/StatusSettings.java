package io.animegan.status;

import java.time.Duration;

/**
 * How the status app keeps statuses and blobs.
 *
 * @param retention how long a status (and every blob of its picture) is kept after its last
 *     change; past it the status is tombstoned and the picture's blobs are deleted
 * @param retentionScan how often each partition looks for statuses past the retention
 * @param cleanupInterval how often intermediate blobs of finished pictures are deleted
 * @param advertisedHost host name other ingest instances use to reach this one's internal status
 *     route ({@code application.server}); the port is the HTTP port
 */
public record StatusSettings(
        Duration retention, Duration retentionScan, Duration cleanupInterval, String advertisedHost) {

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    public static final Duration LONGEST_SCAN = Duration.ofMinutes(1);
    public static final Duration DEFAULT_CLEANUP_INTERVAL = Duration.ofSeconds(5);
    public static final String DEFAULT_ADVERTISED_HOST = "localhost";

    public StatusSettings {
        positive("retention", retention);
        positive("retentionScan", retentionScan);
        positive("cleanupInterval", cleanupInterval);
        if (advertisedHost == null || advertisedHost.isBlank()) {
            throw new IllegalArgumentException("advertisedHost must not be blank");
        }
    }

    public static StatusSettings defaults() {
        return withRetention(DEFAULT_RETENTION);
    }

    /** The retention, scanned at half of it (at most every minute), other settings default. */
    public static StatusSettings withRetention(Duration retention) {
        positive("retention", retention);
        Duration half = retention.dividedBy(2);
        return new StatusSettings(
                retention,
                half.compareTo(LONGEST_SCAN) < 0 ? half : LONGEST_SCAN,
                DEFAULT_CLEANUP_INTERVAL,
                DEFAULT_ADVERTISED_HOST);
    }

    public StatusSettings withAdvertisedHost(String host) {
        return new StatusSettings(retention, retentionScan, cleanupInterval, host);
    }

    public StatusSettings withCleanupInterval(Duration interval) {
        return new StatusSettings(retention, retentionScan, interval, advertisedHost);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, not " + d);
        }
    }

    /** How often the retention punctuators run: the shorter of the cleanup interval and the retention scan. */
    public Duration tick() {
        return cleanupInterval.compareTo(retentionScan) < 0 ? cleanupInterval : retentionScan;
    }
}
