package io.animegan.tools.bench;

import io.animegan.blend.BlendProcessor;
import io.animegan.blend.FaceBlender;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.StorageConfig;
import io.animegan.common.config.Topics;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.style.Style;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.embedded.EmbeddedS3;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageStylized;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import io.animegan.face.FaceProcessor;
import io.animegan.face.FaceStageApp;
import io.animegan.stylize.StylizeProcessor;
import io.animegan.stylize.StylizeStageApp;
import io.animegan.tools.ScratchDirs;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code bench --face-group}: one photo with faces sent in several styles at once (up to
 * {@link #STYLES}), its faces analysed once for all of them as face-stage does for a face group
 * (the first style analysed, the others take its faces over with {@link FaceProcessor#reuse}),
 * against the same styles with faces off plus one face analysis, and against every style analysed
 * on its own. The three stage processors run one after the other in this process (real models, real
 * S3 storage, no Kafka); rounds interleave the ways, so load changes on a shared machine hit them
 * alike. Costs are process CPU time (the in-process S3's copies included) and wall time.
 */
final class FaceGroupBench {

    static final int STYLES = 5;
    static final int ROUNDS = 2;
    /** The photo sent when the samples have it: three faces. */
    static final String PHOTO = "group-of-three.jpg";

    private final Path models;
    private final Path photo;
    private final String generatorModel;

    FaceGroupBench(Path models, List<Path> photos, String generatorModel) {
        this.models = models;
        this.photo = photos.stream()
                .filter(p -> p.getFileName().toString().equals(PHOTO))
                .findFirst()
                .orElse(photos.get(0));
        this.generatorModel = generatorModel;
    }

    /** CPU and wall nanoseconds of one piece of work. */
    private record Cost(long cpu, long wall) {

        static final Cost ZERO = new Cost(0, 0);

        Cost plus(Cost other) {
            return new Cost(cpu + other.cpu, wall + other.wall);
        }
    }

    /**
     * The processors, the storage and the photo's bytes. Every upload gets a blend-stage of its own
     * ({@link #blend}): one that kept the face photos of an earlier upload of the same photo would
     * not show what one upload costs.
     */
    private record Stages(
            BlobStore store, FaceProcessor face, StylizeProcessor stylize, StyleCatalogue catalogue, byte[] photo) {

        BlendProcessor blend() {
            return new BlendProcessor(store, new FaceBlender(), catalogue);
        }
    }

    int run() throws Exception {
        Path dataDir = Files.createTempDirectory("animegan-face-group");
        String accessKey = "animegan";
        String secretKey = UUID.randomUUID().toString();
        try (EmbeddedS3 s3 = EmbeddedS3.start(dataDir, 0, accessKey, secretKey)) {
            StyleCatalogue catalogue =
                    StyleCatalogue.load(models, generatorModel).requireDefault();
            List<Style> styles = catalogue.available().stream().limit(STYLES).toList();
            // Every style's generator stays loaded, so no round pays for loading one.
            PipelineConfig config = new PipelineConfig(
                    "unused:9092",
                    Topics.withPrefix(Topics.DEFAULT_PREFIX, 1, (short) 1),
                    new StorageConfig(s3.endpoint(), accessKey, secretKey, "animegan", "us-east-1"),
                    models,
                    generatorModel,
                    0,
                    dataDir.resolve("streams"),
                    Set.of(),
                    styles.size());
            BlobStore store = new BlobStore(config.storage());
            store.ensureBucket();
            try (FaceProcessor face = FaceStageApp.processor(config);
                    StylizeProcessor stylize = StylizeStageApp.processor(config)) {
                Stages stages = new Stages(store, face, stylize, catalogue, Files.readAllBytes(photo));
                Cost off = Cost.ZERO;
                Cost analysis = Cost.ZERO;
                Cost grouped = Cost.ZERO;
                Cost alone = Cost.ZERO;
                int faces = 0;
                for (int round = 0; round <= ROUNDS; round++) {
                    Cost roundOff = Cost.ZERO;
                    for (Style style : styles) {
                        roundOff = roundOff.plus(whole(stages, picture(stages, style, false)));
                    }
                    ImageSubmitted one = picture(stages, styles.get(0), true);
                    FacesDetected[] analysed = {null};
                    Cost roundAnalysis = measure(() -> analysed[0] = face.process(one));
                    faces = analysed[0].getFaces().size();
                    Cost roundGrouped = group(stages, styles);
                    Cost roundAlone = Cost.ZERO;
                    for (Style style : styles) {
                        roundAlone = roundAlone.plus(whole(stages, picture(stages, style, true)));
                    }
                    if (round > 0) {
                        off = off.plus(roundOff);
                        analysis = analysis.plus(roundAnalysis);
                        grouped = grouped.plus(roundGrouped);
                        alone = alone.plus(roundAlone);
                    }
                }
                print(styles, faces, off, analysis, grouped, alone);
            }
        } finally {
            ScratchDirs.deleteRecursively(dataDir);
        }
        return 0;
    }

    /** The styles as one face group: the first analysed, the others reuse its faces; then stylize and blend each. */
    private static Cost group(Stages stages, List<Style> styles) {
        try (BlendProcessor blend = stages.blend()) {
            return group(stages, styles, blend);
        }
    }

    private static Cost group(Stages stages, List<Style> styles, BlendProcessor blend) {
        Cost cost = Cost.ZERO;
        FacesDetected first = null;
        for (Style style : styles) {
            ImageSubmitted submitted = picture(stages, style, true);
            FacesDetected[] detected = {null};
            if (first == null) {
                cost = cost.plus(measure(() -> detected[0] = stages.face().process(submitted)));
                first = detected[0];
            } else {
                FacesDetected analysed = first;
                cost = cost.plus(measure(() -> detected[0] = stages.face()
                        .reuse(submitted, analysed.getWidth(), analysed.getHeight(), analysed.getFaces())
                        .orElseThrow()));
            }
            cost = cost.plus(stylizeAndBlend(stages, blend, detected[0]));
        }
        return cost;
    }

    /** The three stages on one picture. */
    private static Cost whole(Stages stages, ImageSubmitted submitted) {
        FacesDetected[] detected = {null};
        Cost face = measure(() -> detected[0] = stages.face().process(submitted));
        try (BlendProcessor blend = stages.blend()) {
            return face.plus(stylizeAndBlend(stages, blend, detected[0]));
        }
    }

    private static Cost stylizeAndBlend(Stages stages, BlendProcessor blend, FacesDetected detected) {
        ImageStylized[] stylized = {null};
        Cost cost = measure(() -> stylized[0] = stages.stylize().process(detected));
        return cost.plus(measure(() -> blend.process(stylized[0])));
    }

    /** One style's picture of the upload, stored under its own id as ingest stores it (not measured). */
    private static ImageSubmitted picture(Stages stages, Style style, boolean faces) {
        String id = "bench-" + UUID.randomUUID();
        return ImageSubmitted.newBuilder()
                .setImageId(id)
                .setName("bench")
                .setSource(stages.store().put(Keys.original(id), stages.photo(), "image/jpeg"))
                .setSizeBytes(stages.photo().length)
                .setOptions(Options.newBuilder()
                        .setStyle(style.id())
                        .setFaces(faces)
                        .setMaxSide(ThroughputBench.MAX_SIDE)
                        .build())
                .setTrace(new Trace("bench", System.currentTimeMillis(), Map.of()))
                .build();
    }

    private static Cost measure(Runnable work) {
        long cpu = StageCpu.processNanos();
        long wall = System.nanoTime();
        work.run();
        return new Cost(StageCpu.processNanos() - cpu, System.nanoTime() - wall);
    }

    private void print(List<Style> styles, int faces, Cost off, Cost analysis, Cost grouped, Cost alone) {
        System.out.printf(
                "%s (%d faces) in %d styles %s, output at most %d px, %d rounds; load average %.2f%n",
                photo.getFileName(),
                faces,
                styles.size(),
                styles.stream().map(Style::id).toList(),
                ThroughputBench.MAX_SIDE,
                ROUNDS,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("%-46s %12s %12s%n", "per request (all styles)", "CPU ms", "wall ms");
        Cost budget = off.plus(analysis);
        row("faces off, every style", off);
        row("one face analysis (face-stage, faces on)", analysis);
        row("faces off + one analysis (the budget)", budget);
        row("faces on, analysed once (face group)", grouped);
        row("faces on, analysed per style (no group)", alone);
        System.out.printf(
                "analysed once / budget: %.3f CPU, %.3f wall; analysed once / per style: %.3f CPU, %.3f wall%n",
                (double) grouped.cpu() / budget.cpu(),
                (double) grouped.wall() / budget.wall(),
                (double) grouped.cpu() / alone.cpu(),
                (double) grouped.wall() / alone.wall());
    }

    private static void row(String name, Cost cost) {
        System.out.printf("%-46s %12.0f %12.0f%n", name, cost.cpu() / 1e6 / ROUNDS, cost.wall() / 1e6 / ROUNDS);
    }
}
