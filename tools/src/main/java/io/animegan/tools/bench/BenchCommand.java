package io.animegan.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.animegan.app.EmbeddedPipeline;
import io.animegan.app.GeneratorModelOption;
import io.animegan.app.ModelsOption;
import io.animegan.app.OnnxSpinningOption;
import io.animegan.client.AnimeganClient;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.MatScope;
import io.animegan.common.metrics.ResidentMemory;
import io.animegan.common.style.Style;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.stylize.OutputSize;
import io.animegan.stylize.StyleGenerator;
import io.animegan.stylize.video.SegmentDrawer;
import io.animegan.tools.SamplesOption;
import io.animegan.video.TemporalFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.video.DISOpticalFlow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Measures the embedded system as a user meets it: start-up, then each sample photo through the
 * HTTP API one at a time, with the per-stage times from the status; and every style's generator
 * side by side in one run, so their ratios are fair on a shared, noisy machine.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks start-up, end-to-end seconds per photo and time per stage on the embedded system.")
public final class BenchCommand implements Callable<Integer> {

    @Mixin
    SamplesOption samples;

    @Mixin
    ModelsOption models;

    @Option(
            names = "--runs",
            defaultValue = "${env:ANIMEGAN_BENCH_RUNS:-2}",
            description =
                    "Times each photo is sent (the median is reported); with --throughput, rounds through every mode "
                            + "(env ANIMEGAN_BENCH_RUNS). Default: ${DEFAULT-VALUE}")
    int runs;

    @Option(
            names = "--generators",
            defaultValue = "${env:ANIMEGAN_BENCH_GENERATORS:-true}",
            negatable = true,
            description = "Also time every style's generator at 512 and 1024 and measure each session's memory "
                    + "(env ANIMEGAN_BENCH_GENERATORS).")
    boolean generators;

    @Mixin
    GeneratorModelOption variant;

    @Option(
            names = "--generators-only",
            defaultValue = "${env:ANIMEGAN_BENCH_GENERATORS_ONLY:-false}",
            description =
                    "Only the generator part: no photos through the embedded system (env ANIMEGAN_BENCH_GENERATORS_ONLY).")
    boolean generatorsOnly;

    @Option(
            names = "--throughput",
            defaultValue = "${env:ANIMEGAN_BENCH_THROUGHPUT:-false}",
            description = "Pictures/s of a bare generator loop against the embedded pipeline with faces off and on "
                    + "(see ThroughputBench; env ANIMEGAN_BENCH_THROUGHPUT).")
    boolean throughput;

    @Option(
            names = "--face-cost",
            defaultValue = "${env:ANIMEGAN_BENCH_FACE_COST:-false}",
            description = "What one face adds, in CPU and wall time, against one 512x512 generator pass "
                    + "(see FaceCostBench; env ANIMEGAN_BENCH_FACE_COST).")
    boolean faceCost;

    @Option(
            names = "--face-group",
            defaultValue = "${env:ANIMEGAN_BENCH_FACE_GROUP:-false}",
            description = "A photo with faces in five styles, its faces analysed once, against the styles with faces "
                    + "off plus one analysis (see FaceGroupBench; env ANIMEGAN_BENCH_FACE_GROUP).")
    boolean faceGroup;

    @Option(
            names = "--memory",
            defaultValue = "${env:ANIMEGAN_BENCH_MEMORY:-false}",
            description = "Resident memory of ./animegan run as a child process: peak, when done and when idle, with "
                    + "pictures/s, for the sample photos in every style (or --styles) with faces on (see MemoryBench; "
                    + "env ANIMEGAN_BENCH_MEMORY).")
    boolean memory;

    @Option(
            names = "--memory-variant",
            defaultValue = "${env:ANIMEGAN_BENCH_MEMORY_VARIANTS}",
            split = ";",
            description = "With --memory: one way to start the system, label=tokens, repeatable, run in turn: -X... a "
                    + "JVM option (given as ANIMEGAN_JAVA_OPTS), launcher=PATH another animegan script, NAME=VALUE "
                    + "environment (default: this checkout's launcher as it is; env ANIMEGAN_BENCH_MEMORY_VARIANTS, "
                    + "separated by ';').")
    List<String> memoryVariants = new ArrayList<>();

    @Option(
            names = "--max-side",
            defaultValue = "${env:ANIMEGAN_BENCH_MAX_SIDE:-1920}",
            description =
                    "With --memory: the pictures' maxSide (env ANIMEGAN_BENCH_MAX_SIDE). Default: ${DEFAULT-VALUE}")
    int maxSide;

    @Option(
            names = "--idle-seconds",
            defaultValue = "${env:ANIMEGAN_BENCH_IDLE_SECONDS:-30}",
            description = "With --memory: how long the system idles after the last picture before its resident "
                    + "memory is read again (env ANIMEGAN_BENCH_IDLE_SECONDS). Default: ${DEFAULT-VALUE}")
    int idleSeconds;

    @Option(
            names = "--json",
            defaultValue = "${env:ANIMEGAN_BENCH_JSON:-false}",
            description = "With --throughput: the figures as JSON (env ANIMEGAN_BENCH_JSON).")
    boolean json;

    @Option(
            names = "--anchor",
            defaultValue = "${env:ANIMEGAN_BENCH_ANCHOR:-none}",
            description =
                    "With --throughput: also run the loop a user would write, python (anchor.py: Pillow, ONNX Runtime's "
                            + "default session options, PNG level 1), or none (env ANIMEGAN_BENCH_ANCHOR). Default: ${DEFAULT-VALUE}")
    Anchor anchor;

    /** Which outside loop --throughput compares with. */
    enum Anchor {
        none,
        python
    }

    @Option(
            names = "--python",
            defaultValue = "${env:ANIMEGAN_PYTHON:-python3}",
            description = "With --anchor python: the Python with onnxruntime, numpy and pillow, checked before it runs "
                    + "(env ANIMEGAN_PYTHON). Default: ${DEFAULT-VALUE}")
    String python;

    @Mixin
    OnnxSpinningOption spinning;

    @Option(
            names = "--url",
            defaultValue = "${env:ANIMEGAN_BENCH_URL}",
            description = "With --throughput: measure the service already running at this URL (e.g. ./animegan run's "
                    + "http://localhost:8080) over HTTP instead of an embedded pipeline (env ANIMEGAN_BENCH_URL).")
    String url;

    @Option(
            names = "--no-faces",
            defaultValue = "${env:ANIMEGAN_BENCH_NO_FACES:-false}",
            description = "With --throughput: leave out the pipeline with faces on (env ANIMEGAN_BENCH_NO_FACES).")
    boolean noFaces;

    @Option(
            names = "--video",
            defaultValue = "${env:ANIMEGAN_BENCH_VIDEO:-false}",
            description = "A clip drawn in each style in this process as the stylize stage draws segments: seconds per "
                    + "video-second, generator against flow-filter time, warp-error ratio and ΔE2000 to frame-by-frame, "
                    + "peak RSS (see VideoBench; env ANIMEGAN_BENCH_VIDEO).")
    boolean video;

    @Option(
            names = "--clip",
            defaultValue = "${env:ANIMEGAN_BENCH_CLIP}",
            description =
                    "With --video: the clip to draw (default: a 1280x720 30 fps pan over a sample photo with a tone, "
                            + "written by the bench; env ANIMEGAN_BENCH_CLIP).")
    Path clip;

    @Option(
            names = "--seconds",
            defaultValue = "${env:ANIMEGAN_BENCH_SECONDS:-10}",
            description =
                    "With --video and no --clip: length of the written clip (env ANIMEGAN_BENCH_SECONDS). Default: ${DEFAULT-VALUE}")
    double seconds;

    @Option(
            names = "--styles",
            defaultValue = "${env:ANIMEGAN_BENCH_STYLES}",
            split = ",",
            description =
                    "With --video or --memory: style ids or aliases, comma-separated (default: every available style; "
                            + "env ANIMEGAN_BENCH_STYLES).")
    List<String> styles = new ArrayList<>();

    @Option(
            names = "--style-side",
            defaultValue = "${env:ANIMEGAN_BENCH_STYLE_SIDE}",
            description =
                    "With --video: the generator draws frames with this long side and Fast HD guides them up to the "
                            + "output size; 0 draws at the output size (default: the stylize stage's default for clips, "
                            + "SegmentDrawer.DEFAULT_STYLE_SIDE; env ANIMEGAN_BENCH_STYLE_SIDE).")
    Integer styleSide;

    @Option(
            names = "--flow-side",
            defaultValue = "${env:ANIMEGAN_BENCH_FLOW_SIDE}",
            description =
                    "With --video: long side of the flow filter's optical flow (default: the filter's own; env ANIMEGAN_BENCH_FLOW_SIDE).")
    Integer flowSide;

    @Option(
            names = "--flow-preset",
            defaultValue = "${env:ANIMEGAN_BENCH_FLOW_PRESET}",
            description =
                    "With --video: DIS preset of the flow filter, ultrafast, fast or medium (default: the filter's own; env ANIMEGAN_BENCH_FLOW_PRESET).")
    String flowPreset;

    @Option(
            names = "--no-flicker",
            defaultValue = "${env:ANIMEGAN_BENCH_NO_FLICKER:-false}",
            description = "With --video: skip the warp error and ΔE2000 (env ANIMEGAN_BENCH_NO_FLICKER).")
    boolean noFlicker;

    @Option(
            names = "--warp-error-flow-side",
            defaultValue = "${env:ANIMEGAN_BENCH_WARP_ERROR_FLOW_SIDE:-1280}",
            description = "With --video: long side of the source flow the warp error is measured with (the frames' own "
                    + "size when smaller; coarser flow leaves a floor of warp error from fine detail that hides the flicker; "
                    + "env ANIMEGAN_BENCH_WARP_ERROR_FLOW_SIDE). Default: ${DEFAULT-VALUE}")
    int warpErrorFlowSide;

    @Option(
            names = "--video-dir",
            defaultValue = "${env:ANIMEGAN_BENCH_VIDEO_DIR:-bench-video}",
            description =
                    "With --video: where the clip, the drawn clips and bench-video.json go (env ANIMEGAN_BENCH_VIDEO_DIR). Default: ${DEFAULT-VALUE}")
    Path videoDir;

    static final List<Integer> SIDES = List.of(512, 1024);
    /** The photo the video bench pans over when it writes its own clip (landscape, detailed). */
    static final String VIDEO_PHOTO = "street-railway.jpg";

    static final int GENERATOR_ROUNDS = 3;

    @Override
    public Integer call() throws Exception {
        Path models = this.models.dir();
        List<Path> photos = samples.photos();
        if (video) {
            return new VideoBench(StyleCatalogue.load(models, variant.model()), videoConfig(photos)).run();
        }
        if (memory) {
            return memoryBench(models, photos).run();
        }
        if (faceCost) {
            return new FaceCostBench(models, photos, PipelineConfig.DEFAULT_GENERATOR).run();
        }
        if (faceGroup) {
            return new FaceGroupBench(models, photos, PipelineConfig.DEFAULT_GENERATOR).run();
        }
        if (throughput) {
            Optional<PythonAnchor> python = anchor == Anchor.python
                    ? PythonAnchor.find(this.python, Files.createTempDirectory("animegan-anchor"))
                    : Optional.empty();
            ThroughputBench bench = new ThroughputBench(
                    models, photos, PipelineConfig.DEFAULT_GENERATOR, runs, !noFaces, python, spinning);
            return url == null ? bench.run(json) : bench.runAgainst(url, json);
        }
        if (generators) {
            compareGenerators(models, photos.get(0));
        }
        if (generatorsOnly) {
            return 0;
        }
        Path dataDir = Files.createTempDirectory("animegan-bench");
        long t0 = System.nanoTime();
        try (EmbeddedPipeline pipeline =
                EmbeddedPipeline.start(dataDir, 0, models, PipelineConfig.DEFAULT_GENERATOR, 3)) {
            System.out.printf("start-up of the embedded system: %.1f s%n%n", (System.nanoTime() - t0) / 1e9);
            AnimeganClient client = new AnimeganClient("http://localhost:" + pipeline.httpPort());
            System.out.printf(
                    "%-26s %9s %5s %10s %8s %8s %8s %8s%n",
                    "photo", "output", "faces", "end-to-end", "face", "stylize", "blend", "other");
            for (Path photo : photos) {
                benchPhoto(client, photo);
            }
        }
        System.out.printf(
                "%npeak resident memory of this JVM (everything above, in one process): %s%n", peakResidentMemory());
        return 0;
    }

    private MemoryBench memoryBench(Path models, List<Path> photos) throws Exception {
        Path launcher = launcher();
        List<MemoryBench.Variant> variants = (memoryVariants == null || memoryVariants.isEmpty()
                        ? List.of("default")
                        : memoryVariants)
                .stream().map(spec -> MemoryBench.Variant.parse(spec, launcher)).toList();
        List<String> styleIds = styles == null || styles.isEmpty()
                ? StyleCatalogue.load(models, variant.model()).available().stream()
                        .map(Style::id)
                        .toList()
                : styles;
        return new MemoryBench(variants, models, photos, styleIds, maxSide, Duration.ofSeconds(idleSeconds));
    }

    /** The animegan script beside the tools jar's checkout ({@code <root>/tools/target/animegan-tools.jar}). */
    private static Path launcher() throws Exception {
        Path jar = Path.of(BenchCommand.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Path script = jar.getParent().getParent().getParent().resolve("animegan");
        return Files.isExecutable(script) ? script : Path.of("animegan").toAbsolutePath();
    }

    private VideoBench.Config videoConfig(List<Path> photos) {
        Path photo = photos.stream()
                .filter(p -> p.getFileName().toString().equals(VIDEO_PHOTO))
                .findFirst()
                .orElse(photos.get(0));
        TemporalFilter.Settings d = TemporalFilter.Settings.DEFAULT;
        TemporalFilter.Settings filter = new TemporalFilter.Settings(
                d.weight(),
                flowPreset == null ? d.preset() : disPreset(flowPreset),
                flowSide == null ? d.flowLongSide() : flowSide,
                d.consistencyPixels(),
                d.maxSourceError(),
                d.sourceCorrection());
        return new VideoBench.Config(
                clip,
                photo,
                seconds,
                styles == null ? List.of() : styles,
                styleSide == null ? SegmentDrawer.DEFAULT_STYLE_SIDE : styleSide == 0 ? null : styleSide,
                filter,
                !noFlicker,
                warpErrorFlowSide,
                videoDir);
    }

    private static int disPreset(String name) {
        return switch (name) {
            case "ultrafast" -> DISOpticalFlow.PRESET_ULTRAFAST;
            case "fast" -> DISOpticalFlow.PRESET_FAST;
            case "medium" -> DISOpticalFlow.PRESET_MEDIUM;
            default ->
                throw new IllegalArgumentException("--flow-preset must be ultrafast, fast or medium, not " + name);
        };
    }

    /** VmHWM: the resident high-water mark, which includes ONNX Runtime's native buffers. */
    private static String peakResidentMemory() {
        long kib = ResidentMemory.kib(ResidentMemory.PEAK);
        return kib > 0 ? kib + " kB" : "unknown (no /proc)";
    }

    private void benchPhoto(AnimeganClient client, Path photo) throws Exception {
        List<Double> seconds = new ArrayList<>();
        JsonNode last = null;
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            String id = AnimeganClient.imageId(
                    client.upload(photo.getFileName().toString(), Files.readAllBytes(photo), Map.of()));
            last = client.awaitFinished(id, Duration.ofMinutes(5));
            if (!last.path("status").asText().equals("done")) {
                throw new IllegalStateException(
                        photo + " failed: " + last.path("error").asText());
            }
            seconds.add((System.nanoTime() - start) / 1e9);
        }
        JsonNode t = last.path("timings");
        long stages = t.path("face").asLong()
                + t.path("stylize").asLong()
                + t.path("blend").asLong();
        double median = median(seconds);
        System.out.printf(
                "%-26s %4dx%-4d %5d %9.1fs %7.1fs %7.1fs %7.1fs %7.1fs%n",
                photo.getFileName(),
                last.path("width").asInt(),
                last.path("height").asInt(),
                last.path("faces").asInt(),
                median,
                t.path("face").asLong() / 1e3,
                t.path("stylize").asLong() / 1e3,
                t.path("blend").asLong() / 1e3,
                median - stages / 1e3);
    }

    /**
     * Every available style's generator on the same photo at 512 and 1024 long side. Sessions are
     * loaded one after the other, with the resident memory before and after (load, then a first
     * 1024 call, whose buffers ONNX Runtime keeps); then each round runs every style once per size,
     * so load changes on a shared machine hit all styles alike.
     */
    private void compareGenerators(Path models, Path photo) throws Exception {
        StyleCatalogue catalogue = StyleCatalogue.load(models, variant.model());
        List<Style> styles = catalogue.available();
        Map<String, StyleGenerator> generators = new LinkedHashMap<>();
        Map<Integer, Mat> inputs = new TreeMap<>();
        Map<String, Map<Integer, List<Double>>> ms = new LinkedHashMap<>();
        try (MatScope scope = new MatScope()) {
            Mat source = scope.own(ImageCodec.decode(Files.readAllBytes(photo)));
            for (int side : SIDES) {
                OutputSize size = OutputSize.fit(source.cols(), source.rows(), side);
                Mat input = scope.newMat();
                Imgproc.resize(source, input, new Size(size.width(), size.height()), 0, 0, Imgproc.INTER_AREA);
                inputs.put(side, input);
            }
            System.out.printf("generator sessions (%s), resident memory of this JVM:%n", variant.model());
            for (Style style : styles) {
                long before = ResidentMemory.kib(ResidentMemory.RSS);
                String file = catalogue.availability(style).modelFile();
                StyleGenerator generator = StyleGenerator.load(style, models, file, 0);
                generators.put(style.id(), generator);
                long loaded = ResidentMemory.kib(ResidentMemory.RSS);
                for (Mat input : inputs.values()) {
                    scope.own(generator.stylize(input)); // warm-up, also allocates the session's buffers
                }
                long warm = ResidentMemory.kib(ResidentMemory.RSS);
                System.out.printf(
                        "  %-22s %-30s load +%4d MiB, after first 512+1024 calls +%4d MiB%n",
                        style.id(), file, (loaded - before) / 1024, (warm - before) / 1024);
                ms.put(style.id(), new TreeMap<>());
            }
            System.out.printf(
                    "  all %d loaded: resident %d MiB, peak %d MiB%n%n",
                    styles.size(),
                    ResidentMemory.kib(ResidentMemory.RSS) / 1024,
                    ResidentMemory.kib(ResidentMemory.PEAK) / 1024);
            for (int round = 0; round < GENERATOR_ROUNDS; round++) {
                for (int side : SIDES) {
                    for (Style style : styles) {
                        long start = System.nanoTime();
                        scope.own(generators.get(style.id()).stylize(inputs.get(side)))
                                .release();
                        ms.get(style.id())
                                .computeIfAbsent(side, k -> new ArrayList<>())
                                .add((System.nanoTime() - start) / 1e6);
                    }
                }
            }
        } finally {
            generators.values().forEach(StyleGenerator::close);
        }
        System.out.printf("generator time per style, median of %d interleaved rounds (ms):%n", GENERATOR_ROUNDS);
        System.out.printf("  %-22s %8s %8s%n", "style", "512", "1024");
        ms.forEach((id, bySide) ->
                System.out.printf("  %-22s %8.0f %8.0f%n", id, median(bySide.get(512)), median(bySide.get(1024))));
        System.out.println();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
