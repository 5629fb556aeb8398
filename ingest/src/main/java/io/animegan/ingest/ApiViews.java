package io.animegan.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.animegan.status.ImageStatus;
import io.animegan.status.ImageStatus.FaceDetail;
import io.animegan.status.ProgressView;
import io.animegan.submission.Submitter.Accepted;
import java.util.List;
import java.util.Map;

/** The JSON bodies the HTTP API answers with. */
public final class ApiViews {

    private ApiViews() {}

    /** 202 answer to an upload: one entry per picture and style, each {@code {id, name, style}}. */
    public record UploadResponse(List<Accepted> images) {}

    /** 202 answer to a clip upload: one entry per clip and style, each {@code {id, name, style}}. */
    public record VideoUploadResponse(List<Accepted> videos) {}

    /**
     * Every refusal: what went wrong, naming the file where one is at fault, and for refusals a
     * client program handles a stable code (e.g. {@code CALLBACK_URL_REFUSED}), left out otherwise.
     */
    public record ErrorResponse(
            String error,
            @JsonInclude(JsonInclude.Include.NON_NULL) String code) {

        public ErrorResponse(String error) {
            this(error, null);
        }
    }

    public record Health(String status) {}

    /**
     * {@code GET /api/images/{id}}: {@code status} is queued, processing, done or failed;
     * {@code stage} the last pipeline step reached (queued, faces, stylized, done or failed);
     * {@code job} the job the picture belongs to, or null; {@code callback} how its webhook went
     * (null when none was asked for or none attempted yet).
     */
    public record StatusView(
            String id,
            String name,
            String status,
            String stage,
            String style,
            Integer faces,
            Integer width,
            Integer height,
            String error,
            Map<String, Long> timings,
            List<FaceView> faceDetails,
            String job,
            CallbackView callback) {

        public static StatusView of(ImageStatus s) {
            return new StatusView(
                    s.id(),
                    s.name(),
                    s.phase().label(),
                    s.stage().label(),
                    s.style(),
                    s.faces(),
                    s.width(),
                    s.height(),
                    s.error(),
                    ProgressView.timings(s),
                    s.faceDetails().stream().map(FaceView::of).toList(),
                    s.jobId(),
                    CallbackView.of(s));
        }
    }

    /** A picture's webhook: {@code state} pending, delivered or failed; attempts; the last HTTP status or null. */
    public record CallbackView(String state, int attempts, Integer lastStatus) {
        static CallbackView of(ImageStatus s) {
            return s.callback() == null
                    ? null
                    : new CallbackView(
                            s.callback(),
                            s.callbackAttempts() == null ? 0 : s.callbackAttempts(),
                            s.callbackLastStatus());
        }
    }

    public record FaceView(List<Float> box, float score, List<String> regions) {
        static FaceView of(FaceDetail face) {
            return new FaceView(face.box(), face.score(), face.regions());
        }
    }
}
