package io.animegan.video.stage;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.events.SegmentRequested;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SegmentPartitionerTest {

    @Test
    void aClipsSegmentsTakeEveryPartitionBeforeAnyTakesOneTwice() {
        for (int clip = 0; clip < 50; clip++) {
            String videoId = UUID.randomUUID().toString();
            Set<Integer> firstSix = new HashSet<>();
            IntStream.range(0, 6).forEach(i -> firstSix.add(SegmentPartitioner.partition(videoId, i, 6)));
            assertThat(firstSix).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
            assertThat(SegmentPartitioner.partition(videoId, 6, 6))
                    .isEqualTo(SegmentPartitioner.partition(videoId, 0, 6));
        }
    }

    @Test
    void theRecordGoesToItsSegmentsPartition() {
        SegmentRequested segment = new SegmentRequested();
        segment.setVideoId("a-clip");
        segment.setIndex(2);
        assertThat(new SegmentPartitioner().partitions("t", "a-clip/2", segment, 4))
                .contains(Set.of(SegmentPartitioner.partition("a-clip", 2, 4)));
    }
}
