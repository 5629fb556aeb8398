package io.animegan.status;

import io.animegan.common.stage.Traces;
import io.animegan.events.BlobRef;
import io.animegan.events.Face;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageCompleted;
import io.animegan.events.ImageFailed;
import io.animegan.events.ImageStylized;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Builds pipeline events as the stages would write them. */
public final class TestEvents {

    public static final String BUCKET = "animegan";
    public static final long SUBMITTED_AT = 1_700_000_000_000L;

    private TestEvents() {}

    public static Options options() {
        return Options.newBuilder()
                .setStyle("hayao")
                .setFaces(true)
                .setMaxSide(1920)
                .setFormat("png")
                .build();
    }

    public static Trace trace(Map<String, Long> stageMs) {
        return new Trace("trace-1", SUBMITTED_AT, stageMs);
    }

    public static BlobRef ref(String key) {
        return new BlobRef(BUCKET, key);
    }

    public static Face face(int index) {
        return Face.newBuilder()
                .setIndex(index)
                .setScore(0.9f)
                .setBox(List.of(10f + index, 20f, 110f + index, 140f))
                .setLandmarks(Collections.nCopies(10, 1f))
                .setAffine(List.of(1d, 0d, 0d, 0d, 1d, 0d))
                .setCrop(ref("work/x/faces/" + index + "/crop.png"))
                .setRegions(List.of("skin", "hair"))
                .build();
    }

    public static List<Face> faces(int count) {
        return IntStream.range(0, count).mapToObj(TestEvents::face).toList();
    }

    /** The trace ingest starts: every later event carries it, with its own stage's time added. */
    public static Trace ingestTrace() {
        return trace(Map.of("ingest", 5L));
    }

    public static ImageSubmitted submitted(String id, String name) {
        return submitted(id, name, "anonymous");
    }

    public static ImageSubmitted submitted(String id, String name, String tenant) {
        return new ImageSubmitted(
                id,
                name,
                ref("inputs/" + id + "/original"),
                1234L,
                options(),
                ingestTrace(),
                null,
                0,
                tenant,
                null,
                null,
                0);
    }

    /** A submission of {@code tenant}'s original of {@code sizeBytes} bytes. */
    public static ImageSubmitted submitted(String id, String name, String tenant, long sizeBytes) {
        return new ImageSubmitted(
                id,
                name,
                ref("inputs/" + id + "/original"),
                sizeBytes,
                options(),
                ingestTrace(),
                null,
                0,
                tenant,
                null,
                null,
                0);
    }

    public static FacesDetected facesDetected(String id, int faces, int width, int height) {
        return facesDetected(id, faces, width, height, ingestTrace());
    }

    public static FacesDetected facesDetected(String id, int faces, int width, int height, Trace base) {
        return new FacesDetected(
                id,
                ref("inputs/" + id + "/original"),
                width,
                height,
                options(),
                faces(faces),
                Traces.withStage(base, "face", 300L));
    }

    public static ImageStylized stylized(String id, int faces, int width, int height) {
        return new ImageStylized(
                id,
                ref("inputs/" + id + "/original"),
                width,
                height,
                options(),
                ref("work/" + id + "/stylized.png"),
                faces(faces),
                Traces.withStage(Traces.withStage(ingestTrace(), "face", 300L), "stylize", 2000L));
    }

    public static ImageCompleted completed(
            String id, BlobRef result, String contentType, int faces, int width, int height) {
        return completed(id, result, contentType, faces, width, height, ingestTrace());
    }

    public static ImageCompleted completed(
            String id, BlobRef result, String contentType, int faces, int width, int height, Trace base) {
        Trace trace = Traces.withStage(
                Traces.withStage(Traces.withStage(base, "face", 300L), "stylize", 2000L), "blend", 400L);
        return ImageCompleted.newBuilder()
                .setImageId(id)
                .setResult(result)
                .setContentType(contentType)
                .setWidth(width)
                .setHeight(height)
                .setFaceCount(faces)
                .setFaces(faces(faces))
                .setOptions(options())
                .setTrace(trace)
                .build();
    }

    public static ImageFailed failed(String id, String stage, String code, String message) {
        return failed(id, stage, code, message, ingestTrace());
    }

    public static ImageFailed failed(String id, String stage, String code, String message, Trace base) {
        return new ImageFailed(id, stage, code, message, base);
    }
}
