package io.animegan.video.stage;

import io.animegan.events.SegmentRequested;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Puts a clip's consecutive segments on consecutive partitions, from a partition its id picks, so
 * the stylize instances that own different partitions share one clip's segments. Hashing each
 * segment's key alone would put a clip's few segments on the same partition often enough (three
 * segments, six partitions: all on one instance's half one time in four) that a second instance
 * would sit idle beside a clip it could help with.
 */
final class SegmentPartitioner implements StreamPartitioner<String, SegmentRequested> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, SegmentRequested segment, int numPartitions) {
        return Optional.of(Set.of(partition(segment.getVideoId(), segment.getIndex(), numPartitions)));
    }

    /** The partition of a clip's segment {@code index}: its id's partition, then one further per segment. */
    static int partition(String videoId, int index, int numPartitions) {
        int first = Utils.toPositive(Utils.murmur2(videoId.getBytes(StandardCharsets.UTF_8))) % numPartitions;
        return (first + index) % numPartitions;
    }
}
