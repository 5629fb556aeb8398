package io.animegan.common.stage;

import io.animegan.events.BlobRef;
import io.animegan.events.Face;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a stage may read, whatever an event on Kafka names: objects of the event's own picture
 * under {@code inputs/} (the upload) or {@code work/} (other stages' intermediates), in the
 * service's bucket. Anyone able to write to a stage's input topic could otherwise have the stage
 * read, and pass on, another picture's upload, a finished result or another bucket's object.
 *
 * <p>A face's crop and label map may also be those of a face group's analysis ({@code analyses/}
 * under the id of the style of the upload that was analysed), which the other styles' events name
 * without being able to prove they belong to that upload: only there, in a {@link Face}, are they
 * readable, so a forged event can reach another upload's face crops (given its random id) but never
 * an upload, a picture or a result.
 */
public final class StageInputs {

    /** The prefixes stages read under; each is followed by the image id. */
    static final List<String> READABLE = List.of("inputs/", "work/");
    /** Where a face group's analysis is, under the analysed picture's id: see {@code Keys.faceAnalysisPrefix}. */
    static final String FACE_ANALYSES = "analyses/";

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
        visit(event, false, (ref, ofFace) -> {
            if (!bucket.equals(ref.getBucket())) {
                throw new StageException(
                        ErrorCode.FORBIDDEN_KEY, "the event names an object outside the service's bucket");
            }
            if (!readable(ref.getKey(), imageId) && !(ofFace && faceAnalysis(ref.getKey()))) {
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
                return plainPath(key);
            }
        }
        return false;
    }

    /** {@code analyses/<id>/...} of any picture, without "." or ".." segments. */
    static boolean faceAnalysis(String key) {
        return key != null && key.startsWith(FACE_ANALYSES) && key.split("/", -1).length > 2 && plainPath(key);
    }

    private static boolean plainPath(String key) {
        return List.of(key.split("/", -1)).stream().noneMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."));
    }

    private static void visit(Object value, boolean ofFace, BiConsumer<BlobRef, Boolean> check) {
        if (value instanceof BlobRef ref) {
            check.accept(ref, ofFace);
        } else if (value instanceof SpecificRecord record) {
            boolean face = record instanceof Face;
            for (Schema.Field field : record.getSchema().getFields()) {
                visit(record.get(field.pos()), face, check);
            }
        } else if (value instanceof Collection<?> items) {
            items.forEach(item -> visit(item, ofFace, check));
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(item -> visit(item, ofFace, check));
        }
    }
}
