package io.animegan.common.config;

/** S3-compatible storage (MinIO, s3proxy, AWS). The secret never appears in toString or logs. */
public record StorageConfig(String endpoint, String accessKey, String secretKey, String bucket, String region) {

  public StorageConfig {
    require(endpoint, "S3 endpoint");
    require(accessKey, "S3 access key");
    require(secretKey, "S3 secret key");
    require(bucket, "S3 bucket");
  }

  private static void require(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " is not configured");
    }
  }

  @Override
  public String toString() {
    return "StorageConfig[endpoint=" + endpoint + ", accessKey=" + accessKey + ", secretKey=***, bucket="
        + bucket + ", region=" + region + "]";
  }
}
