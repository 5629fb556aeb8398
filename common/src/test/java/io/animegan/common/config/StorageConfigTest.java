package io.animegan.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StorageConfigTest {

    @Test
    void theSecretNeverShowsInToString() {
        StorageConfig config = new StorageConfig("http://minio:9000", "user", "s3cr3t-value", "animegan", "us-east-1");
        assertThat(config.toString()).doesNotContain("s3cr3t-value").contains("minio:9000");
    }

    @Test
    void missingSettingsAreNamed() {
        assertThatThrownBy(() -> new StorageConfig("http://minio:9000", "user", null, "animegan", "us-east-1"))
                .hasMessageContaining("S3 secret key");
    }

    @Test
    void topicNamesShareOnePrefix() {
        assertThat(Topics.withPrefix("x.", 3, (short) 1).all())
                .extracting(Topic::name)
                .containsExactly(
                        "x.submitted",
                        "x.faces",
                        "x.stylized",
                        "x.completed",
                        "x.failed",
                        "x.dead-letter",
                        "x.jobs.progress",
                        "x.jobs.completed",
                        "x.tenants.usage",
                        "x.webhooks",
                        "x.videos.submitted",
                        "x.videos.planned",
                        "x.videos.segments",
                        "x.videos.previews",
                        "x.videos.segments-drawn",
                        "x.videos.completed",
                        "x.videos.failed");
        assertThat(Topics.defaults().jobsCompleted().name()).isEqualTo("animegan.jobs.completed");
        assertThat(Topics.defaults().tenantUsage().name()).isEqualTo("animegan.tenants.usage");
    }
}
