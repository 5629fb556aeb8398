package io.animegan.common.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stage instance keeps its transactional identity across restarts, and two running ones never share it. */
class InstanceIdentityTest {

    @Test
    void aRestartedInstanceGetsItsIdBackWhileARunningOneKeepsItsOwn(@TempDir Path dir) {
        String first;
        String second;
        try (InstanceIdentity a = InstanceIdentity.claim(dir);
                InstanceIdentity b = InstanceIdentity.claim(dir)) {
            first = a.id();
            second = b.id();
            assertThat(first).isNotEqualTo(second);
        }
        try (InstanceIdentity again = InstanceIdentity.claim(dir)) {
            assertThat(again.id()).isEqualTo(first);
        }
    }

    @Test
    void streamsProcessIdIsReplacedByTheInstanceIdKeepingApplicationAndThread() {
        String streams = "animegan-face-stage-3f2a8c1e-9b7d-4c55-a0e1-2b6f4d8e9c10-1";

        assertThat(StableTransactionalIds.stable(streams, "11111111-2222-3333-4444-555555555555"))
                .isEqualTo("animegan-face-stage-11111111-2222-3333-4444-555555555555-1");
        assertThat(StableTransactionalIds.stable("custom-id", "x")).isEqualTo("custom-id");
    }
}
