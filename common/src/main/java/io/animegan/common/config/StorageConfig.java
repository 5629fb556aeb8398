package io.animegan.common.config;

/**
 * S3-compatible storage (MinIO, s3proxy, AWS). The secret never appears in toString or logs.
 *
 * @param publicEndpoint the endpoint clients outside the deployment reach the same storage at
 *     (e.g. {@code https://images.example.com}), which presigned URLs carry; null or blank: the
 *     service's own {@code endpoint}
 */
public record StorageConfig(
        String endpoint, String accessKey, String secretKey, String bucket, String region, String publicEndpoint) {

    public StorageConfig {
        require(endpoint, "S3 endpoint");
        require(accessKey, "S3 access key");
        require(secretKey, "S3 secret key");
        require(bucket, "S3 bucket");
        if (publicEndpoint != null && publicEndpoint.isBlank()) {
            publicEndpoint = null;
        }
    }

    /** Presigned URLs for the service's own endpoint. */
    public StorageConfig(String endpoint, String accessKey, String secretKey, String bucket, String region) {
        this(endpoint, accessKey, secretKey, bucket, region, null);
    }

    /** The endpoint presigned URLs are signed for. */
    public String presignEndpoint() {
        return publicEndpoint != null ? publicEndpoint : endpoint;
    }

    private static void require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is not configured");
        }
    }

    @Override
    public String toString() {
        return "StorageConfig[endpoint=" + endpoint + ", accessKey=" + accessKey + ", secretKey=***, bucket=" + bucket
                + ", region=" + region + (publicEndpoint != null ? ", publicEndpoint=" + publicEndpoint : "") + "]";
    }
}
