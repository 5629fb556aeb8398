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
 * (the first style analysed with {@link FaceProcessor#analyseForGroup}, the others take its faces
 * over with {@link FaceProcessor#reuse}),
 * against the same styles with faces off plus one face analysis, and against every style analysed
 * on its own. The three stage processors run one after the other in this process (real models, real
 * S3 storage, no Kafka); rounds interleave the ways, so load changes on a shared machine hit them
 * alike. The face group's styles are blended on one blend-stage, which keeps the faces' photo sides
 * for the later styles, and again on a blend-stage each. Costs are process CPU time (the in-process
 * S3's work included) and wall time.
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
                Grouped grouped = Grouped.ZERO;
                Grouped apart = Grouped.ZERO;
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
                    Grouped roundGrouped = group(stages, styles, true);
                    Grouped roundApart = group(stages, styles, false);
                    Cost roundAlone = Cost.ZERO;
                    for (Style style : styles) {
                        roundAlone = roundAlone.plus(whole(stages, picture(stages, style, true)));
                    }
                    if (round > 0) {
                        off = off.plus(roundOff);
                        analysis = analysis.plus(roundAnalysis);
                        grouped = grouped.plus(roundGrouped);
                        apart = apart.plus(roundApart);
                        alone = alone.plus(roundAlone);
                    }
                }
                print(styles, faces, off, analysis, grouped, apart, alone);
            }
        } finally {
            ScratchDirs.deleteRecursively(dataDir);
        }
        return 0;
    }

    /** A face group's cost, and what face-stage spent taking the analysis over (included). */
    private record Grouped(Cost total, Cost takeOver) {

        static final Grouped ZERO = new Grouped(Cost.ZERO, Cost.ZERO);

        Grouped plus(Grouped other) {
            return new Grouped(total.plus(other.total), takeOver.plus(other.takeOver));
        }
    }

    /**
     * The styles as one face group: the first analysed, the others reuse its faces; then stylize and
     * blend each, on one blend-stage (as when one instance blends them all) or on a blend-stage per
     * style (as when the styles' pictures land on different instances).
     */
    private static Grouped group(Stages stages, List<Style> styles, boolean oneBlendStage) {
        Cost cost = Cost.ZERO;
        Cost takeOver = Cost.ZERO;
        FacesDetected first = null;
        BlendProcessor shared = oneBlendStage ? stages.blend() : null;
        try {
            for (Style style : styles) {
                ImageSubmitted submitted = picture(stages, style, true);
                FacesDetected[] detected = {null};
                if (first == null) {
                    cost = cost.plus(measure(() -> detected[0] = stages.face().analyseForGroup(submitted)));
                    first = detected[0];
                } else {
                    FacesDetected analysed = first;
                    Cost reuse = measure(() -> detected[0] = stages.face()
                            .reuse(submitted, analysed.getWidth(), analysed.getHeight(), analysed.getFaces()));
                    cost = cost.plus(reuse);
                    takeOver = takeOver.plus(reuse);
                }
                try (BlendProcessor own = oneBlendStage ? null : stages.blend()) {
                    cost = cost.plus(stylizeAndBlend(stages, oneBlendStage ? shared : own, detected[0]));
                }
            }
        } finally {
            if (shared != null) {
                shared.close();
            }
        }
        return new Grouped(cost, takeOver);
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

    private void print(
            List<Style> styles, int faces, Cost off, Cost analysis, Grouped grouped, Grouped apart, Cost alone) {
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
        row("faces on, analysed once (face group)", grouped.total());
        row("  of which face-stage taking it over", grouped.takeOver());
        row("  the same, a blend-stage per style", apart.total());
        row("faces on, analysed per style (no group)", alone);
        System.out.printf(
                "analysed once / budget: %.3f CPU, %.3f wall; analysed once / per style: %.3f CPU, %.3f wall%n",
                (double) grouped.total().cpu() / budget.cpu(),
                (double) grouped.total().wall() / budget.wall(),
                (double) grouped.total().cpu() / alone.cpu(),
                (double) grouped.total().wall() / alone.wall());
        System.out.printf(
                "a blend-stage per style / budget: %.3f CPU, %.3f wall%n",
                (double) apart.total().cpu() / budget.cpu(),
                (double) apart.total().wall() / budget.wall());
    }

    private static void row(String name, Cost cost) {
        System.out.printf("%-46s %12.0f %12.0f%n", name, cost.cpu() / 1e6 / ROUNDS, cost.wall() / 1e6 / ROUNDS);
    }
}
