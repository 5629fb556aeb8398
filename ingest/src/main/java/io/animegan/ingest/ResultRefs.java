package io.animegan.ingest;

import io.animegan.events.BlobRef;
import io.animegan.status.ImageStatus;
import io.animegan.status.ServedResults;
import io.animegan.submission.ApiException;

/** A picture's result or overlay as ingest serves it: only what {@link ServedResults} allows, else 404. */
final class ResultRefs {

    private ResultRefs() {}

    /** The status of a done picture, else 409. */
    static ImageStatus requireDone(ImageStatus status) {
        if (status.phase() != ImageStatus.Phase.DONE) {
            throw new ApiException(
                    409, "image " + status.id() + " is " + status.phase().label() + ", not done");
        }
        return status;
    }

    /** The done picture's result, or 404 when it is not one ingest serves. */
    static BlobRef result(ImageStatus status, String bucket) {
        return checked(status, status.result(), status.resultContentType(), bucket);
    }

    /** The picture's overlay (always a PNG), or 404 when it has none ingest serves. */
    static BlobRef overlay(ImageStatus status, String bucket) {
        if (status.overlay() == null) {
            throw ApiException.notFound("image " + status.id() + " has no debug overlay");
        }
        return checked(status, status.overlay(), "image/png", bucket);
    }

    private static BlobRef checked(ImageStatus status, BlobRef ref, String contentType, String bucket) {
        if (ServedResults.refusal(status.id(), ref, contentType, bucket).isPresent()) {
            throw ApiException.notFound("image " + status.id() + " has no result this service serves");
        }
        return ref;
    }
}
