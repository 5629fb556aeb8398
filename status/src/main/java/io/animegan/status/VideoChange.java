package io.animegan.status;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The videos KTable's aggregate: a clip's status after one event, with the status before it, so
 * the steps downstream see what changed. Only {@code after} is stored (see {@link #serde()}); a
 * value read back from the store is {@link #stored} and is no change.
 *
 * @param before the status before the event, null for a new clip
 */
record VideoChange(VideoStatus before, VideoStatus after) {

    static VideoChange stored(VideoStatus status) {
        return new VideoChange(status, status);
    }

    boolean changed() {
        return !after.equals(before);
    }

    boolean becameFinal() {
        return after.phase().isFinal() && (before == null || !before.phase().isFinal());
    }

    /**
     * Bytes this change adds to the clip's tenant's stored bytes: the original on the first fold of
     * the submission, the result when the clip becomes done (whichever is folded first, the other
     * adds its part when it comes).
     */
    long addedBytes() {
        if (after.owner() == null) {
            return 0;
        }
        VideoStatus was = before == null || before.owner() == null ? null : before;
        return after.storedBytes() - (was == null ? 0 : was.storedBytes());
    }

    /** Stores {@code after} as the Avro record. */
    static Serde<VideoChange> serde() {
        return Serdes.serdeFrom(
                (topic, change) -> change == null ? null : change.after().write(),
                (topic, bytes) -> bytes == null ? null : stored(VideoStatus.read(bytes)));
    }
}
