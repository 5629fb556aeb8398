package io.animegan.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmbeddedS3Test {

    private static final String ACCESS_KEY = "animegan";
    private static final String SECRET_KEY = "animegan-secret-key";
    private static final String BUCKET = "animegan";
    private static final String KEY = "work/x/faces/0/crop.png";

    @TempDir
    Path dataDir;

    @Test
    void putGetStatAndSurviveRestart() throws Exception {
        byte[] bytes = new byte[300_000];
        new Random(42).nextBytes(bytes);

        long t0 = System.nanoTime();
        try (EmbeddedS3 s3 = EmbeddedS3.start(dataDir, 0, ACCESS_KEY, SECRET_KEY)) {
            System.out.printf("EmbeddedS3 cold start: %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            assertThat(s3.endpoint()).matches("http://127\\.0\\.0\\.1:\\d+").doesNotEndWith(":0");

            try (MinioClient minio = client(s3)) {
                minio.makeBucket(MakeBucketArgs.builder().bucket(BUCKET).build());
                minio.putObject(PutObjectArgs.builder()
                        .bucket(BUCKET)
                        .object(KEY)
                        .data(bytes, bytes.length)
                        .contentType("image/png")
                        .build());
                minio.putObject(PutObjectArgs.builder()
                        .bucket(BUCKET)
                        .object("inputs/abc/original")
                        .data(new byte[] {1, 2, 3}, 3)
                        .build());

                assertThat(read(minio, KEY)).isEqualTo(bytes);
                assertThat(read(minio, "inputs/abc/original")).containsExactly(1, 2, 3);
                assertThat(minio.statObject(StatObjectArgs.builder()
                                        .bucket(BUCKET)
                                        .object(KEY)
                                        .build())
                                .size())
                        .isEqualTo(bytes.length);

                assertThatThrownBy(() -> minio.statObject(StatObjectArgs.builder()
                                .bucket(BUCKET)
                                .object("work/x/missing.png")
                                .build()))
                        .isInstanceOfSatisfying(
                                ErrorResponseException.class,
                                e -> assertThat(e.errorResponse().code()).isEqualTo("NoSuchKey"));
            }
            s3.close();
            s3.close(); // idempotent
        }

        try (EmbeddedS3 s3 = EmbeddedS3.start(dataDir, 0, ACCESS_KEY, SECRET_KEY);
                MinioClient minio = client(s3)) {
            assertThat(read(minio, KEY)).isEqualTo(bytes);
        }
    }

    @Test
    void rejectsWrongCredentials() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(dataDir, 0, ACCESS_KEY, SECRET_KEY);
                MinioClient minio = client(s3, "wrong-secret")) {
            assertThatThrownBy(() -> minio.makeBucket(
                            MakeBucketArgs.builder().bucket(BUCKET).build()))
                    .isInstanceOfSatisfying(
                            ErrorResponseException.class,
                            e -> assertThat(e.errorResponse().code()).isEqualTo("SignatureDoesNotMatch"));
        }
    }

    private static MinioClient client(EmbeddedS3 s3) {
        return client(s3, SECRET_KEY);
    }

    /*
     * With its default HTTP client MinioClient.build() parses every certificate named by SSL_CERT_FILE
     * and SSL_CERT_DIR (about 1.8 s per client on this machine); an explicit OkHttpClient skips that.
     */
    private static MinioClient client(EmbeddedS3 s3, String secretKey) {
        return MinioClient.builder()
                .endpoint(s3.endpoint())
                .credentials(ACCESS_KEY, secretKey)
                .httpClient(new OkHttpClient(), true)
                .build();
    }

    private static byte[] read(MinioClient minio, String key) throws Exception {
        try (InputStream in = minio.getObject(
                GetObjectArgs.builder().bucket(BUCKET).object(key).build())) {
            return in.readAllBytes();
        }
    }
}
