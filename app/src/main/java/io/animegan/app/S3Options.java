package io.animegan.app;

import io.animegan.common.config.StorageConfig;
import picocli.CommandLine.Option;

/** How to reach S3-compatible storage, shared by the service commands and batch's s3:// sides. */
public final class S3Options {

    @Option(
            names = "--s3-endpoint",
            defaultValue = "${env:ANIMEGAN_S3_ENDPOINT:-http://localhost:9000}",
            description = "S3-compatible endpoint, e.g. MinIO (env ANIMEGAN_S3_ENDPOINT). Default: ${DEFAULT-VALUE}")
    String endpoint;

    @Option(
            names = "--s3-access-key",
            defaultValue = "${env:ANIMEGAN_S3_ACCESS_KEY}",
            description = "S3 access key (env ANIMEGAN_S3_ACCESS_KEY)")
    String accessKey;

    @Option(
            names = "--s3-secret-key",
            defaultValue = "${env:ANIMEGAN_S3_SECRET_KEY}",
            description =
                    "S3 secret key (env ANIMEGAN_S3_SECRET_KEY; prefer the variable: options show in process lists)")
    String secretKey;

    @Option(
            names = "--s3-region",
            defaultValue = "${env:ANIMEGAN_S3_REGION:-us-east-1}",
            description = "S3 region (env ANIMEGAN_S3_REGION). Default: ${DEFAULT-VALUE}")
    String region;

    @Option(
            names = "--s3-public-endpoint",
            defaultValue = "${env:ANIMEGAN_S3_PUBLIC_ENDPOINT}",
            description =
                    "Endpoint clients outside the deployment reach the same storage at, e.g. https://images.example.com:"
                            + " the host presigned result URLs carry (env ANIMEGAN_S3_PUBLIC_ENDPOINT). Default: --s3-endpoint")
    String publicEndpoint;

    StorageConfig toConfig(String bucket) {
        return new StorageConfig(endpoint, accessKey, secretKey, bucket, region, publicEndpoint);
    }
}
