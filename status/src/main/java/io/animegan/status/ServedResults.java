package io.animegan.status;

import io.animegan.common.storage.Keys;
import io.animegan.events.BlobRef;
import java.util.Optional;
import java.util.Set;

/**
 * What ingest serves as a picture's result or overlay (the status app folds a completion naming
 * anything else as a failure, see {@link ResultScreen}; ingest's {@code ResultRefs} answers 404 for it), whatever an event on Kafka claims: an
 * object under {@code results/<id>/} in the service's own bucket, as PNG or JPEG. Anyone who can
 * write to the completed topic could otherwise point a result at an upload, another picture's
 * result or another bucket, or have an HTML page served from this origin.
 */
public final class ServedResults {

    /** Content types a result is served as. */
    public static final Set<String> TYPES = Set.of("image/png", "image/jpeg");
    /** Error code of a completion that names something else, as the failed status shows it. */
    public static final String FORBIDDEN_RESULT = "FORBIDDEN_RESULT";

    private ServedResults() {}

    /**
     * Why the object may not be served as this image's result, or empty when it may. The reason
     * names neither bucket nor key: it reaches clients.
     */
    public static Optional<String> refusal(String imageId, BlobRef ref, String contentType, String bucket) {
        if (ref == null || !bucket.equals(ref.getBucket())) {
            return Optional.of("the result is not in the service's bucket");
        }
        if (!isUnder(ref.getKey(), Keys.resultsPrefix(imageId))) {
            return Optional.of("the result is not one of this picture's results");
        }
        if (contentType == null || !TYPES.contains(contentType)) {
            return Optional.of("the result is not a PNG or JPEG picture");
        }
        return Optional.empty();
    }

    /** Directly under the prefix, with no path tricks in what follows. */
    private static boolean isUnder(String key, String prefix) {
        if (key == null || !key.startsWith(prefix) || key.length() == prefix.length()) {
            return false;
        }
        String rest = key.substring(prefix.length());
        return !rest.contains("/") && !rest.contains("\\") && !rest.equals(".") && !rest.equals("..");
    }
}
