package io.animegan.video.stage;

import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageException;
import io.animegan.common.stage.Traces;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.style.Style;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.events.BlobRef;
import io.animegan.events.SegmentDrawn;
import io.animegan.events.VideoCompleted;
import io.animegan.video.Assembler;
import io.animegan.video.ClipPlan;
import io.animegan.video.Segment;
import io.animegan.video.VideoSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The assembly step, once every segment of a clip is drawn: fetches the original and the segment
 * files, plans the clip again (deterministic: the plan the segments were drawn to), joins the
 * segments without re-encoding, copies the original's audio, and stores the MP4 as the clip's result.
 */
public final class ClipAssembly {

    public static final String NAME = "video-assemble";
    public static final String CONTENT_TYPE = "video/mp4";

    private static final StyleCatalogue STYLES = StyleCatalogue.builtIn();

    private final BlobStore store;
    private final VideoSettings settings;
    private final Path work;

    /** @param work where the files of one clip are kept while it is assembled (deleted after) */
    public ClipAssembly(BlobStore store, VideoSettings settings, Path work) {
        this.store = store;
        this.settings = settings;
        this.work = work;
    }

    /**
     * @param last the segment that completed the clip (every SegmentDrawn of a clip names the same
     *     source and options)
     * @param collected the frames of each drawn segment, all {@code last.getSegments()} of them
     */
    public VideoCompleted assemble(SegmentDrawn last, Collected collected) {
        long start = System.nanoTime();
        String id = last.getVideoId();
        ClipPlanning.requireOwn(store.bucket(), id, last.getSource());
        try (TempFiles files = TempFiles.in(work, "assemble-")) {
            Path original = files.path("original");
            store.get(last.getSource(), original);
            ClipPlan clip = ClipPlanning.plan(settings, original, last.getOptions());
            requireAgrees(clip, last.getSegments(), collected);
            List<Path> segments = new ArrayList<>();
            for (Segment s : clip.plan().segments()) {
                Path file = files.path(String.format("segment-%05d.mp4", s.index()));
                store.get(new BlobRef(store.bucket(), Keys.videoSegment(id, s.index())), file);
                segments.add(file);
            }
            Path output = files.path("anime.mp4");
            new Assembler().assemble(clip.plan(), segments, original, output);
            BlobRef result = store.put(Keys.result(id, "mp4"), output, CONTENT_TYPE);
            return VideoCompleted.newBuilder()
                    .setVideoId(id)
                    .setResult(result)
                    .setContentType(CONTENT_TYPE)
                    .setWidth(clip.size().width())
                    .setHeight(clip.size().height())
                    .setFrames(clip.plan().frameCount())
                    .setSegments(segments.size())
                    .setDurationSeconds(
                            clip.plan().frameCount() / clip.plan().frameRate().value())
                    .setHasAudio(clip.info().hasAudio())
                    .setStyle(styleId(last.getOptions().getStyle()))
                    .setOptions(last.getOptions())
                    .setCompletedAtMs(System.currentTimeMillis())
                    .setTrace(Traces.withStage(last.getTrace(), NAME, (System.nanoTime() - start) / 1_000_000))
                    .build();
        }
    }

    /** The segments drawn must be the plan's: same count, same frames each. */
    static void requireAgrees(ClipPlan clip, int segments, Collected collected) {
        List<Segment> planned = clip.plan().segments();
        boolean agrees = planned.size() == segments && collected.complete(segments);
        for (int i = 0; agrees && i < planned.size(); i++) {
            agrees = collected.frames().get(i) == planned.get(i).frameCount();
        }
        if (!agrees) {
            throw new StageException(
                    ErrorCode.INTERNAL_ERROR,
                    "the drawn segments " + collected + " of " + segments + " do not match the clip's plan "
                            + clip.plan());
        }
    }

    /** The style's id for an alias; a name the built-in catalogue does not know as it is. */
    private static String styleId(String name) {
        return STYLES.find(name).map(Style::id).orElse(name);
    }
}
