package io.animegan.tools.bench;

import io.animegan.blend.BlendProcessor;
import io.animegan.blend.FaceBlender;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.StorageConfig;
import io.animegan.common.config.Topics;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.MatScope;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.style.Style;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.embedded.EmbeddedS3;
import io.animegan.events.BlobRef;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageStylized;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import io.animegan.face.FaceProcessor;
import io.animegan.face.FaceStageApp;
import io.animegan.stylize.StyleGenerator;
import io.animegan.stylize.StylizeProcessor;
import io.animegan.stylize.StylizeStageApp;
import io.animegan.tools.ScratchDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * {@code bench --face-cost}: what one face adds to a picture, against one 512x512 pass of the
 * default style's generator, measured in one run. The three stage processors run one after the
 * other in this process (real models, real S3 storage, no Kafka), on every photo with faces off
 * and then on; rounds interleave the two and the 512x512 pass, so load changes on a shared machine
 * hit them alike. Cost per face = (faces on - faces off) / faces, in process CPU time and in wall
 * time, per stage and in all.
 */
final class FaceCostBench {

    static final int ROUNDS = 3;
    private static final int STAGES = 3;
    private static final String[] STAGE_NAMES = {"face", "stylize", "blend"};

    private final Path models;
    private final List<Path> photos;
    private final String generatorModel;

    FaceCostBench(Path models, List<Path> photos, String generatorModel) {
        this.models = models;
        this.photos = photos;
        this.generatorModel = generatorModel;
    }

    /** CPU and wall nanoseconds of one piece of work. */
    private record Cost(long cpu, long wall) {

        Cost plus(Cost other) {
            return new Cost(cpu + other.cpu, wall + other.wall);
        }
    }

    int run() throws Exception {
        Path dataDir = Files.createTempDirectory("animegan-face-cost");
        String accessKey = "animegan";
        String secretKey = UUID.randomUUID().toString();
        try (EmbeddedS3 s3 = EmbeddedS3.start(dataDir, 0, accessKey, secretKey)) {
            // No broker: the processors are called directly and only their storage is real.
            PipelineConfig config = new PipelineConfig(
                    "unused:9092",
                    Topics.withPrefix(Topics.DEFAULT_PREFIX, 1, (short) 1),
                    new StorageConfig(s3.endpoint(), accessKey, secretKey, "animegan", "us-east-1"),
                    models,
                    generatorModel,
                    0,
                    dataDir.resolve("streams"));
            BlobStore store = new BlobStore(config.storage());
            store.ensureBucket();
            StyleCatalogue catalogue =
                    StyleCatalogue.load(models, generatorModel).requireDefault();
            Style style = catalogue.defaultStyle();
            try (FaceProcessor face = FaceStageApp.processor(config);
                    StylizeProcessor stylize = StylizeStageApp.processor(config);
                    StyleGenerator generator = StyleGenerator.load(
                            style, models, catalogue.availability(style).modelFile(), 0);
                    MatScope scope = new MatScope()) {
                Mat square = scope.own(square512(photos.get(0)));
                // Each photo is stored as the upload of the id it is processed under: the stages refuse others' keys.
                List<String> ids = new ArrayList<>();
                for (Path photo : photos) {
                    String id = "bench-" + UUID.randomUUID();
                    store.put(Keys.original(id), Files.readAllBytes(photo), "image/jpeg");
                    ids.add(id);
                }
                Cost[] off = zeros();
                Cost[] on = zeros();
                Cost pass = new Cost(0, 0);
                int faces = 0;
                for (int round = 0; round <= ROUNDS; round++) {
                    boolean warmUp = round == 0;
                    for (String id : ids) {
                        Cost[] withoutFaces = picture(face, stylize, catalogue, store, id, false);
                        Cost[] withFaces = picture(face, stylize, catalogue, store, id, true);
                        Cost onePass = measure(() -> generator.stylize(square).release());
                        if (!warmUp) {
                            add(off, withoutFaces);
                            add(on, withFaces);
                            pass = pass.plus(onePass);
                        }
                    }
                    if (warmUp) {
                        faces = countFaces(face, store, ids);
                    }
                }
                print(off, on, pass, faces, style, catalogue.availability(style).modelFile());
            }
        } finally {
            ScratchDirs.deleteRecursively(dataDir);
        }
        return 0;
    }

    private static Mat square512(Path photo) throws Exception {
        try (MatScope scope = new MatScope()) {
            Mat source = scope.own(ImageCodec.decode(Files.readAllBytes(photo)));
            Mat square = scope.newMat();
            Imgproc.resize(source, square, new Size(512, 512), 0, 0, Imgproc.INTER_AREA);
            return scope.detach(square);
        }
    }

    /** The three stages on the picture {@code id}; the costs per stage. */
    private static Cost[] picture(
            FaceProcessor face,
            StylizeProcessor stylize,
            StyleCatalogue catalogue,
            BlobStore store,
            String id,
            boolean faces) {
        ImageSubmitted submitted = ImageSubmitted.newBuilder()
                .setImageId(id)
                .setName("bench")
                .setSource(new BlobRef(store.bucket(), Keys.original(id)))
                .setSizeBytes(0)
                .setOptions(Options.newBuilder()
                        .setFaces(faces)
                        .setMaxSide(ThroughputBench.MAX_SIDE)
                        .build())
                .setTrace(new Trace("bench", System.currentTimeMillis(), Map.of()))
                .build();
        Object[] event = {submitted};
        Cost[] costs = new Cost[STAGES];
        costs[0] = measure(() -> event[0] = face.process((ImageSubmitted) event[0]));
        costs[1] = measure(() -> event[0] = stylize.process((FacesDetected) event[0]));
        // Every upload meets a blend-stage that has kept no face photo of the same photo from an earlier round.
        try (BlendProcessor blend = new BlendProcessor(store, new FaceBlender(), catalogue)) {
            costs[2] = measure(() -> event[0] = blend.process((ImageStylized) event[0]));
        }
        return costs;
    }

    /** Faces in all photos, with each photo's crop sides printed. */
    private int countFaces(FaceProcessor face, BlobStore store, List<String> ids) {
        int faces = 0;
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            ImageSubmitted submitted = ImageSubmitted.newBuilder()
                    .setImageId(id)
                    .setName("bench")
                    .setSource(new BlobRef(store.bucket(), Keys.original(id)))
                    .setSizeBytes(0)
                    .setOptions(Options.newBuilder()
                            .setMaxSide(ThroughputBench.MAX_SIDE)
                            .build())
                    .setTrace(new Trace("bench", System.currentTimeMillis(), Map.of()))
                    .build();
            List<Integer> crops = face.process(submitted).getFaces().stream()
                    .map(f -> f.getCropSize())
                    .toList();
            System.out.printf("%s: %d faces, crops %s px%n", photos.get(i).getFileName(), crops.size(), crops);
            faces += crops.size();
        }
        return faces;
    }

    private static Cost measure(Runnable work) {
        long cpu = StageCpu.processNanos();
        long wall = System.nanoTime();
        work.run();
        return new Cost(StageCpu.processNanos() - cpu, System.nanoTime() - wall);
    }

    private static Cost[] zeros() {
        Cost[] costs = new Cost[STAGES];
        Arrays.fill(costs, new Cost(0, 0));
        return costs;
    }

    private static void add(Cost[] into, Cost[] costs) {
        for (int i = 0; i < STAGES; i++) {
            into[i] = into[i].plus(costs[i]);
        }
    }

    private void print(Cost[] off, Cost[] on, Cost pass, int faces, Style style, String file) {
        int pictures = photos.size() * ROUNDS;
        double passCpu = pass.cpu() / 1e6 / pictures;
        double passWall = pass.wall() / 1e6 / pictures;
        int facesInAll = faces * ROUNDS;
        System.out.printf(
                "%d photos, %d faces, output at most %d px, %d rounds; style %s (%s)%n",
                photos.size(), faces, ThroughputBench.MAX_SIDE, ROUNDS, style.id(), file);
        System.out.printf("one 512x512 generator pass: %.0f ms CPU, %.0f ms wall%n", passCpu, passWall);
        System.out.printf(
                "%-8s %22s %22s %26s%n",
                "stage", "faces off ms/picture", "faces on ms/picture", "added per face: ms (passes)");
        System.out.printf("%-8s %10s %11s %10s %11s %12s %13s%n", "", "CPU", "wall", "CPU", "wall", "CPU", "wall");
        Cost offAll = new Cost(0, 0);
        Cost onAll = new Cost(0, 0);
        for (int i = 0; i < STAGES; i++) {
            row(STAGE_NAMES[i], off[i], on[i], pictures, facesInAll, passCpu, passWall);
            offAll = offAll.plus(off[i]);
            onAll = onAll.plus(on[i]);
        }
        row("all", offAll, onAll, pictures, facesInAll, passCpu, passWall);
    }

    private static void row(String name, Cost off, Cost on, int pictures, int faces, double passCpu, double passWall) {
        double addedCpu = (on.cpu() - off.cpu()) / 1e6 / faces;
        double addedWall = (on.wall() - off.wall()) / 1e6 / faces;
        System.out.printf(
                "%-8s %10.0f %11.0f %10.0f %11.0f %5.0f (%4.2f) %6.0f (%4.2f)%n",
                name,
                off.cpu() / 1e6 / pictures,
                off.wall() / 1e6 / pictures,
                on.cpu() / 1e6 / pictures,
                on.wall() / 1e6 / pictures,
                addedCpu,
                addedCpu / passCpu,
                addedWall,
                addedWall / passWall);
    }
}
