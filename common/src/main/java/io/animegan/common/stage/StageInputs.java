package io.animegan.common.stage;

import io.animegan.events.BlobRef;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a stage may read, whatever an event on Kafka names: objects of the event's own picture
 * under {@code inputs/} (the upload) or {@code work/} (other stages' intermediates), in the
 * service's bucket. Anyone able to write to a stage's input topic could otherwise have the stage
 * read, and pass on, another picture's upload, a finished result or another bucket's object.
 */
public final class StageInputs {

    /** The prefixes stages read under; each is followed by the image id. */
    static final List<String> READABLE = List.of("inputs/", "work/");

    private StageInputs() {}

    /**
     * Checks every object the event names before the stage reads any of them.
     *
     * @throws StageException {@link ErrorCode#FORBIDDEN_KEY} when one is not the picture's own input
     *     or intermediate; the message names neither bucket nor key
     */
    public static void check(SpecificRecord event, String bucket) {
        String imageId =
                String.valueOf(event.get(event.getSchema().getField("imageId").pos()));
        visit(event, ref -> {
            if (!bucket.equals(ref.getBucket())) {
                throw new StageException(
                        ErrorCode.FORBIDDEN_KEY, "the event names an object outside the service's bucket");
            }
            if (!readable(ref.getKey(), imageId)) {
                throw new StageException(
                        ErrorCode.FORBIDDEN_KEY,
                        "the event names an object that is not this picture's upload or intermediate");
            }
        });
    }

    /** {@code inputs/<id>/...} or {@code work/<id>/...}, without "." or ".." segments. */
    static boolean readable(String key, String imageId) {
        if (key == null) {
            return false;
        }
        for (String prefix : READABLE) {
            String own = prefix + imageId + "/";
            if (key.startsWith(own) && key.length() > own.length()) {
                return List.of(key.split("/", -1)).stream()
                        .noneMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."));
            }
        }
        return false;
    }

    private static void visit(Object value, Consumer<BlobRef> check) {
        if (value instanceof BlobRef ref) {
            check.accept(ref);
        } else if (value instanceof SpecificRecord record) {
            for (Schema.Field field : record.getSchema().getFields()) {
                visit(record.get(field.pos()), check);
            }
        } else if (value instanceof Collection<?> items) {
            items.forEach(item -> visit(item, check));
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(item -> visit(item, check));
        }
    }
}
