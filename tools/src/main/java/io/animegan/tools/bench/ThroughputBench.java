package io.animegan.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.app.EmbeddedPipeline;
import io.animegan.app.OnnxSpinningOption;
import io.animegan.app.StageName;
import io.animegan.client.AnimeganClient;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.ImageHeader;
import io.animegan.common.image.MatScope;
import io.animegan.common.metrics.AnimeganMetrics;
import io.animegan.common.metrics.ResidentMemory;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.ingest.IngestSettings;
import io.animegan.stylize.OutputSize;
import io.animegan.stylize.StyleGenerator;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * {@code bench --throughput}: in one run, (a) a bare generator loop in this process (decode, fit
 * to the output size as the service does, the default style's generator, PNG encode), with
 * {@code --anchor python} (a') the same loop in Python ({@link PythonAnchor}), (b) the embedded
 * pipeline with faces off and (c) with faces on, on the same photos, model and threads, taking
 * turns for a number of rounds; then (d) faces off once with stylize-stage as its own process, and
 * (e) one picture at a time on the idle pipeline against the bare loop on the same picture.
 * Reports pictures/s, the ratios to the bare loop and to the Python loop, p50/p95 latency, time in
 * each stage from the traces (in each phase for the loops), CPU time per stage, and the peak
 * resident memory of this process and of the separate stylize-stage process.
 */
final class ThroughputBench {

    /** The output size the service uses by default (the upload form's maxSide). */
    static final int MAX_SIDE = 1920;

    /**
     * One mode's figures, summed over the rounds.
     *
     * @param stageMs time per stage from the traces, summed over the pictures (wall time inside each stage)
     * @param cpuMs CPU time per stage, ONNX Runtime's threads included (see {@link StageCpu}); for the
     *     bare loop only {@code total}, the whole process
     */
    record Mode(
            String name,
            int pictures,
            double seconds,
            List<Double> latencies,
            Map<String, Long> stageMs,
            Map<String, Long> cpuMs) {

        double perSecond() {
            return pictures / seconds;
        }

        long totalCpuMs() {
            return cpuMs.values().stream().mapToLong(Long::longValue).sum();
        }

        Mode plus(Mode other) {
            List<Double> allLatencies = new ArrayList<>(latencies);
            allLatencies.addAll(other.latencies);
            return new Mode(
                    name,
                    pictures + other.pictures,
                    seconds + other.seconds,
                    allLatencies,
                    sum(stageMs, other.stageMs),
                    sum(cpuMs, other.cpuMs));
        }

        private static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
            Map<String, Long> total = new LinkedHashMap<>(a);
            b.forEach((key, value) -> total.merge(key, value, Long::sum));
            return total;
        }
    }

    static final int PARTITIONS = 3;
    static final String BARE = "bare generator loop";
    static final String FACES_OFF = "pipeline, faces off";
    static final String FACES_ON = "pipeline, faces on";
    static final String SEPARATE = "stylize own process";
    static final String PYTHON = "python loop";
    static final String SERVICE = "service, faces off";

    private final Path models;
    private final List<Path> photos;
    private final String generatorModel;
    private final int rounds;
    private final boolean withFaces;
    private final Optional<PythonAnchor> anchor;
    private final OnnxSpinningOption spinning;

    /**
     * @param rounds times every photo goes through each mode; the modes take turns round by round,
     *     so a change of load on a shared machine hits them alike
     * @param withFaces whether to run (c), the pipeline with faces on
     * @param anchor the Python loop (a'), if there is a Python to run it
     * @param spinning the ONNX Runtime spinning policy: the bare loop and the separate stylize-stage
     *     have the cores to themselves, the embedded pipeline shares them
     */
    ThroughputBench(
            Path models,
            List<Path> photos,
            String generatorModel,
            int rounds,
            boolean withFaces,
            Optional<PythonAnchor> anchor,
            OnnxSpinningOption spinning) {
        this.models = models;
        this.photos = photos;
        this.generatorModel = generatorModel;
        this.rounds = rounds;
        this.withFaces = withFaces;
        this.anchor = anchor;
        this.spinning = spinning;
    }

    /**
     * Against a service already running at {@code url} (e.g. {@code ./animegan run}), instead of the
     * embedded pipeline: (a) and (a') in this process, then the service with faces off, every photo
     * submitted at once over HTTP, taking turns round by round; last (e) against the service.
     */
    int runAgainst(String url, boolean json) throws Exception {
        Map<String, Mode> modes = new LinkedHashMap<>();
        ExecutorService bareThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "bare-generator"));
        Latency latency;
        try (StyleGenerator bare = bareThread.submit(this::bareGenerator).get()) {
            AnimeganClient client = new AnimeganClient(url);
            bareThread.submit(() -> bareRun(bare, photos.subList(0, 1))).get();
            pipelineRun(client, null, "warm-up", false, photos.subList(0, 1));
            for (int round = 0; round < rounds; round++) {
                add(modes, bareThread.submit(() -> bareRun(bare, photos)).get());
                if (anchor.isPresent()) {
                    add(modes, pythonRun(anchor.get()));
                }
                add(modes, pipelineRun(client, null, SERVICE + " (" + url + ")", false, photos));
            }
            latency = singlePicture(bare, bareThread, client, null);
        } finally {
            bareThread.shutdown();
        }
        long peakKiB = ResidentMemory.kib(ResidentMemory.PEAK);
        if (json) {
            printJson(List.copyOf(modes.values()), peakKiB, 0, latency);
        } else {
            printTable(List.copyOf(modes.values()), peakKiB, 0, latency);
        }
        return 0;
    }

    int run(boolean json) throws Exception {
        Map<String, Mode> modes = new LinkedHashMap<>();
        Path dataDir = Files.createTempDirectory("animegan-throughput");
        StageCpu cpu = StageCpu.onThisThread();
        // The bare loop's session runs on its own thread, so its ONNX Runtime threads (named after the
        // thread that creates them) are not taken for a stage's.
        ExecutorService bareThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "bare-generator"));
        spinning.apply(false);
        Latency latency;
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(dataDir, 0, models, generatorModel, PARTITIONS);
                StyleGenerator bare = bareThread.submit(this::bareGenerator).get()) {
            AnimeganClient client = new AnimeganClient("http://localhost:" + pipeline.httpPort());
            // Warm-up: sessions loaded, buffers allocated, the JIT through the hot paths of every mode.
            bareThread.submit(() -> bareRun(bare, photos.subList(0, 1))).get();
            pipelineRun(client, cpu, "warm-up", false, photos.subList(0, 1));
            if (withFaces) {
                pipelineRun(client, cpu, "warm-up", true, photos.subList(0, 1));
            }
            for (int round = 0; round < rounds; round++) {
                add(modes, bareThread.submit(() -> bareRun(bare, photos)).get());
                if (anchor.isPresent()) {
                    add(modes, pythonRun(anchor.get()));
                }
                add(modes, pipelineRun(client, cpu, FACES_OFF, false, photos));
                if (withFaces) {
                    add(modes, pipelineRun(client, cpu, FACES_ON, true, photos));
                }
            }
            latency = singlePicture(bare, bareThread, client, cpu);
        } finally {
            bareThread.shutdown();
        }
        long peakKiB = ResidentMemory.kib(ResidentMemory.PEAK);
        long stylizePeakKiB = separateStylize(cpu, modes);
        if (json) {
            printJson(List.copyOf(modes.values()), peakKiB, stylizePeakKiB, latency);
        } else {
            printTable(List.copyOf(modes.values()), peakKiB, stylizePeakKiB, latency);
        }
        return 0;
    }

    /**
     * (d): faces off once more, with stylize-stage as its own process (face and blend stay in this
     * one), for that process's own peak resident memory and CPU time. Returns the peak in KiB.
     */
    private long separateStylize(StageCpu cpu, Map<String, Mode> modes) throws Exception {
        Path dataDir = Files.createTempDirectory("animegan-throughput-separate");
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(
                        dataDir,
                        IngestSettings.defaults().withPort(0),
                        models,
                        generatorModel,
                        PARTITIONS,
                        EnumSet.of(StageName.face, StageName.blend));
                StageProcess stylize = StageProcess.start(
                        StageName.stylize,
                        pipeline.config(),
                        PARTITIONS,
                        dataDir.resolve("stylize-stage.log"),
                        "--onnx-spinning",
                        spinning.value().name())) {
            stylize.awaitStarted(Duration.ofMinutes(2));
            AnimeganClient client = new AnimeganClient("http://localhost:" + pipeline.httpPort());
            pipelineRun(client, cpu, "warm-up", false, photos.subList(0, 1));
            long cpuBefore = stylize.cpuMs();
            Mode inThisProcess = pipelineRun(client, cpu, SEPARATE, false, photos);
            Map<String, Long> cpuMs = new LinkedHashMap<>(inThisProcess.cpuMs());
            cpuMs.put("stylize", stylize.cpuMs() - cpuBefore);
            modes.put(
                    SEPARATE,
                    new Mode(
                            SEPARATE,
                            inThisProcess.pictures(),
                            inThisProcess.seconds(),
                            inThisProcess.latencies(),
                            inThisProcess.stageMs(),
                            cpuMs));
            return stylize.statusKiB(ResidentMemory.PEAK);
        }
    }

    private static void add(Map<String, Mode> modes, Mode mode) {
        modes.merge(mode.name(), mode, Mode::plus);
    }

    private String generatorFile() {
        StyleCatalogue catalogue = StyleCatalogue.load(models, generatorModel).requireDefault();
        return catalogue.availability(catalogue.defaultStyle()).modelFile();
    }

    private StyleGenerator bareGenerator() {
        StyleCatalogue catalogue = StyleCatalogue.load(models, generatorModel).requireDefault();
        return StyleGenerator.load(catalogue.defaultStyle(), models, generatorFile(), 0, spinning.resolve(true));
    }

    /** (a'): the Python loop in its own process, on the same photos, model and thread count. */
    private Mode pythonRun(PythonAnchor python) throws Exception {
        PythonAnchor.Pass pass = python.run(
                models.resolve(generatorFile()), MAX_SIDE, Runtime.getRuntime().availableProcessors(), photos);
        return new Mode(
                PYTHON,
                pass.pictures(),
                pass.seconds(),
                pass.latencies(),
                pass.phaseMs(),
                Map.of("total", pass.cpuMs()));
    }

    /**
     * (a): the generator loop as the stylize stage would run it for the whole picture, without the
     * stages around it; the time in each phase is summed as the Python loop sums it ("convert" is
     * the generator's pre- and post-processing around the model call).
     */
    private static Mode bareRun(StyleGenerator generator, List<Path> pictures) throws Exception {
        List<Double> latencies = new ArrayList<>();
        Map<String, Long> phaseNanos = new LinkedHashMap<>();
        Timer model = AnimeganMetrics.modelTimer(generator.modelName());
        long cpuStart = StageCpu.processNanos();
        long start = System.nanoTime();
        for (Path photo : pictures) {
            long t = System.nanoTime();
            drawBare(generator, photo, model, phaseNanos);
            latencies.add((System.nanoTime() - t) / 1e9);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Long> phaseMs = new LinkedHashMap<>();
        phaseNanos.forEach((phase, nanos) -> phaseMs.put(phase, nanos / 1_000_000));
        return new Mode(
                BARE,
                pictures.size(),
                seconds,
                latencies,
                phaseMs,
                Map.of("total", (StageCpu.processNanos() - cpuStart) / 1_000_000));
    }

    private static void drawBare(StyleGenerator generator, Path photo, Timer model, Map<String, Long> phaseNanos)
            throws Exception {
        try (MatScope scope = new MatScope()) {
            long t0 = System.nanoTime();
            Mat source = scope.own(ImageCodec.decode(Files.readAllBytes(photo)));
            long t1 = System.nanoTime();
            Mat input = fitted(source, scope);
            long t2 = System.nanoTime();
            double modelBefore = model.totalTime(TimeUnit.NANOSECONDS);
            Mat drawn = scope.own(generator.stylize(input));
            long modelNanos = Math.round(model.totalTime(TimeUnit.NANOSECONDS) - modelBefore);
            long t3 = System.nanoTime();
            ImageCodec.encodePng(drawn);
            long t4 = System.nanoTime();
            phaseNanos.merge("decode", t1 - t0, Long::sum);
            phaseNanos.merge("resize", t2 - t1, Long::sum);
            phaseNanos.merge("convert", t3 - t2 - modelNanos, Long::sum);
            phaseNanos.merge("model", modelNanos, Long::sum);
            phaseNanos.merge("encode", t4 - t3, Long::sum);
        }
    }

    /** The picture at the output size the service draws it at, as the stylize stage fits it. */
    private static Mat fitted(Mat source, MatScope scope) {
        OutputSize size = OutputSize.fit(source.cols(), source.rows(), MAX_SIDE);
        Mat input = source;
        if (size.width() != source.cols() || size.height() != source.rows()) {
            input = scope.newMat();
            Imgproc.resize(
                    source,
                    input,
                    new Size(size.width(), size.height()),
                    0,
                    0,
                    size.width() < source.cols() ? Imgproc.INTER_AREA : Imgproc.INTER_CUBIC);
        }
        return input;
    }

    /** (e)'s figures: seconds for one picture, each round's, through the bare loop and through the idle pipeline. */
    record Latency(String photo, int width, int height, List<Double> bare, List<Double> pipeline) {

        double bareMedian() {
            return percentile(bare, 0.5);
        }

        double pipelineMedian() {
            return percentile(pipeline, 0.5);
        }
    }

    /**
     * (e): the largest photo, one at a time: upload to done on the otherwise idle pipeline (faces
     * off, over HTTP), against the bare loop's time for the same picture, taking turns per round.
     */
    private Latency singlePicture(StyleGenerator bare, ExecutorService bareThread, AnimeganClient client, StageCpu cpu)
            throws Exception {
        Path photo = null;
        ImageHeader largest = null;
        for (Path candidate : photos) {
            ImageHeader header = ImageCodec.uprightSize(Files.readAllBytes(candidate));
            if (largest == null || header.pixels() > largest.pixels()) {
                photo = candidate;
                largest = header;
            }
        }
        List<Path> one = List.of(photo);
        List<Double> bareSeconds = new ArrayList<>();
        List<Double> pipelineSeconds = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            bareSeconds.add(bareThread.submit(() -> bareRun(bare, one)).get().seconds());
            pipelineSeconds.add(
                    pipelineRun(client, cpu, "latency", false, one).latencies().get(0));
        }
        return new Latency(
                photo.getFileName().toString(), largest.width(), largest.height(), bareSeconds, pipelineSeconds);
    }

    /**
     * (b), (c): every photo submitted at once, then each awaited; latency is submit to done.
     *
     * @param cpu this process's CPU per stage, or null for a service elsewhere
     */
    private Mode pipelineRun(AnimeganClient client, StageCpu cpu, String name, boolean faces, List<Path> pictures)
            throws Exception {
        Map<String, String> fields = Map.of("faces", String.valueOf(faces), "maxSide", String.valueOf(MAX_SIDE));
        var cpuBefore = cpu == null ? null : cpu.snapshot();
        long start = System.nanoTime();
        Map<String, Long> submitted = new LinkedHashMap<>();
        for (Path photo : pictures) {
            String id = AnimeganClient.imageId(
                    client.upload(photo.getFileName().toString(), Files.readAllBytes(photo), fields));
            submitted.put(id, System.nanoTime());
        }
        List<Double> latencies = new ArrayList<>();
        Map<String, Long> stageMs = new LinkedHashMap<>();
        for (Map.Entry<String, Long> entry : submitted.entrySet()) {
            JsonNode status = client.awaitFinished(entry.getKey(), Duration.ofMinutes(10));
            if (!status.path("status").asText().equals("done")) {
                throw new IllegalStateException(name + ": " + entry.getKey() + " failed: "
                        + status.path("error").asText());
            }
            latencies.add((System.nanoTime() - entry.getValue()) / 1e9);
            status.path("timings")
                    .properties()
                    .forEach(t -> stageMs.merge(t.getKey(), t.getValue().asLong(), Long::sum));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Mode(
                name,
                pictures.size(),
                seconds,
                latencies,
                stageMs,
                cpu == null ? Map.of() : cpu.between(cpuBefore, cpu.snapshot()));
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static Optional<Mode> python(List<Mode> modes) {
        return modes.stream().filter(mode -> mode.name().equals(PYTHON)).findFirst();
    }

    private void printTable(List<Mode> modes, long peakKiB, long stylizePeakKiB, Latency latency) {
        double bare = modes.get(0).perSecond();
        Optional<Mode> python = python(modes);
        System.out.printf(
                "%d photos from the samples x %d rounds (the modes take turns), output at most %d px, %s generator%n",
                photos.size(), rounds, MAX_SIDE, generatorModel);
        System.out.printf(
                "ONNX Runtime spinning: bare loop %s, embedded pipeline %s, separate stylize-stage %s%n",
                onOff(spinning.resolve(true)), onOff(spinning.resolve(false)), onOff(spinning.resolve(true)));
        python.ifPresent(p -> System.out.printf(
                "python loop: %s, onnxruntime %s, default session options, %d threads%n",
                PythonAnchor.SCRIPT,
                anchor.orElseThrow().onnxRuntimeVersion(),
                Runtime.getRuntime().availableProcessors()));
        System.out.printf(
                "%-22s %10s %9s %9s %8s %8s  %s%n",
                "mode", "pictures/s", "vs bare", "vs python", "p50 s", "p95 s", "time in stage or phase (ms, summed)");
        for (Mode mode : modes) {
            System.out.printf(
                    "%-22s %10.3f %9.3f %9s %8.1f %8.1f  %s%n",
                    mode.name(),
                    mode.perSecond(),
                    mode.perSecond() / bare,
                    python.map(p -> String.format("%.3f", mode.perSecond() / p.perSecond()))
                            .orElse("-"),
                    percentile(mode.latencies(), 0.5),
                    percentile(mode.latencies(), 0.95),
                    mode.stageMs());
        }
        System.out.printf(
                "%nCPU time per picture by stage (s; ONNX Runtime's threads count to their stage; the loops: only the whole process)%n");
        System.out.printf("%-22s", "mode");
        StageCpu.GROUPS.forEach(group -> System.out.printf(" %10s", group.length() > 10 ? "other" : group));
        System.out.printf(" %10s %12s%n", "total", "vs bare");
        double bareCpu = modes.get(0).totalCpuMs() / (double) modes.get(0).pictures();
        for (Mode mode : modes) {
            System.out.printf("%-22s", mode.name());
            StageCpu.GROUPS.forEach(group -> System.out.printf(
                    mode.cpuMs().containsKey(group) ? " %10.2f" : " %10s",
                    mode.cpuMs().containsKey(group) ? mode.cpuMs().get(group) / 1e3 / mode.pictures() : "-"));
            double perPicture = mode.totalCpuMs() / (double) mode.pictures();
            System.out.printf(" %10.2f %12.2f%n", perPicture / 1e3, perPicture / bareCpu);
        }
        System.out.printf("(other: the embedded broker and S3 server, the JVM's GC and compilers)%n");
        System.out.printf("%s: one pass after the rounds, with face and blend in this process%n", SEPARATE);
        System.out.printf(
                "%npeak resident memory of this process (all but (d) and a service at --url; one JVM): %d MiB%n",
                peakKiB / 1024);
        if (stylizePeakKiB > 0) {
            System.out.printf(
                    "peak resident memory of stylize-stage as its own process (d): %d MiB%n", stylizePeakKiB / 1024);
        }
        System.out.printf(
                "%none picture at a time (e), %s %dx%d, faces off, median of %d: bare loop %.2f s, pipeline upload to done"
                        + " %.2f s, %+.2f s%n",
                latency.photo(),
                latency.width(),
                latency.height(),
                rounds,
                latency.bareMedian(),
                latency.pipelineMedian(),
                latency.pipelineMedian() - latency.bareMedian());
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }

    private void printJson(List<Mode> modes, long peakKiB, long stylizePeakKiB, Latency latency) throws Exception {
        double bare = modes.get(0).perSecond();
        Optional<Mode> python = python(modes);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Mode mode : modes) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("mode", mode.name());
            row.put("pictures", mode.pictures());
            row.put("seconds", mode.seconds());
            row.put("picturesPerSecond", mode.perSecond());
            row.put("ratioToBare", mode.perSecond() / bare);
            python.ifPresent(p -> row.put("ratioToPython", mode.perSecond() / p.perSecond()));
            row.put("p50Seconds", percentile(mode.latencies(), 0.5));
            row.put("p95Seconds", percentile(mode.latencies(), 0.95));
            row.put("stageMs", mode.stageMs());
            row.put("cpuMs", mode.cpuMs());
            rows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("photos", photos.size());
        out.put("rounds", rounds);
        out.put("maxSide", MAX_SIDE);
        out.put("generatorModel", generatorModel);
        out.put(
                "onnxSpinning",
                Map.of(
                        "bare", spinning.resolve(true),
                        "pipeline", spinning.resolve(false),
                        "separateStylize", spinning.resolve(true)));
        anchor.ifPresent(a -> out.put("pythonOnnxRuntime", a.onnxRuntimeVersion()));
        out.put("modes", rows);
        out.put("peakResidentMiB", peakKiB / 1024);
        out.put("stylizeProcessPeakResidentMiB", stylizePeakKiB / 1024);
        out.put("singlePicture", latency);
        System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }
}
