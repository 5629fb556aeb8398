package io.animegan.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.app.client.AnimeganClient;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.MatScope;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.style.Style;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.stylize.OutputSize;
import io.animegan.stylize.StyleGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * {@code bench --throughput}: in one run, (a) a bare generator loop in this process (decode, fit
 * to the output size as the service does, the default style's generator, PNG encode), (b) the
 * embedded pipeline with faces off and (c) with faces on, on the same photos, model and threads.
 * Reports pictures/s, the pipeline/bare ratios, p50/p95 latency, time per stage from the traces
 * and the process's peak resident memory.
 */
final class ThroughputBench {

  /** The output size the service uses by default (the upload form's maxSide). */
  static final int MAX_SIDE = 1920;

  record Mode(String name, int pictures, double seconds, List<Double> latencies, Map<String, Long> stageMs) {

    double perSecond() {
      return pictures / seconds;
    }
  }

  private final Path models;
  private final List<Path> photos;
  private final String generatorModel;

  ThroughputBench(Path models, List<Path> photos, String generatorModel) {
    this.models = models;
    this.photos = photos;
    this.generatorModel = generatorModel;
  }

  int run(boolean json) throws Exception {
    List<Mode> modes = new ArrayList<>();
    modes.add(bare());
    Path dataDir = Files.createTempDirectory("animegan-throughput");
    try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(dataDir, 0, models, generatorModel, 3)) {
      AnimeganClient client = new AnimeganClient("http://localhost:" + pipeline.httpPort());
      pipelineRun(client, "warm-up", false, photos.subList(0, 1));
      modes.add(pipelineRun(client, "pipeline, faces off", false, photos));
      modes.add(pipelineRun(client, "pipeline, faces on", true, photos));
    }
    long peakKiB = BenchCommand.residentKiB("VmHWM:");
    if (json) {
      printJson(modes, peakKiB);
    } else {
      printTable(modes, peakKiB);
    }
    return 0;
  }

  /** (a): the generator loop as the stylize stage would run it for the whole picture, without the stages around it. */
  private Mode bare() throws Exception {
    StyleCatalogue catalogue = StyleCatalogue.load(models, generatorModel).requireDefault();
    Style style = catalogue.defaultStyle();
    List<Double> latencies = new ArrayList<>();
    try (StyleGenerator generator = new StyleGenerator(style,
        OnnxModel.load(models, catalogue.availability(style).modelFile(), 0))) {
      drawBare(generator, photos.get(0));
      long cpuStart = cpuNanos();
      long start = System.nanoTime();
      for (Path photo : photos) {
        long t = System.nanoTime();
        drawBare(generator, photo);
        latencies.add((System.nanoTime() - t) / 1e9);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Mode("bare generator loop", photos.size(), seconds, latencies,
          Map.of("processCpu", (cpuNanos() - cpuStart) / 1_000_000));
    }
  }

  private static void drawBare(StyleGenerator generator, Path photo) throws Exception {
    try (MatScope scope = new MatScope()) {
      Mat source = scope.own(ImageCodec.decode(Files.readAllBytes(photo)));
      OutputSize size = OutputSize.fit(source.cols(), source.rows(), MAX_SIDE);
      Mat input = source;
      if (size.width() != source.cols() || size.height() != source.rows()) {
        input = scope.newMat();
        Imgproc.resize(source, input, new Size(size.width(), size.height()), 0, 0,
            size.width() < source.cols() ? Imgproc.INTER_AREA : Imgproc.INTER_CUBIC);
      }
      ImageCodec.encodePng(scope.own(generator.stylize(input)));
    }
  }

  /** (b), (c): every photo submitted at once, then each awaited; latency is submit to done. */
  private Mode pipelineRun(AnimeganClient client, String name, boolean faces, List<Path> pictures) throws Exception {
    Map<String, String> fields = Map.of("faces", String.valueOf(faces), "maxSide", String.valueOf(MAX_SIDE));
    long start = System.nanoTime();
    Map<String, Long> submitted = new LinkedHashMap<>();
    for (Path photo : pictures) {
      String id = AnimeganClient.imageId(client.upload(photo.getFileName().toString(), Files.readAllBytes(photo), fields));
      submitted.put(id, System.nanoTime());
    }
    List<Double> latencies = new ArrayList<>();
    Map<String, Long> stageMs = new LinkedHashMap<>();
    for (Map.Entry<String, Long> entry : submitted.entrySet()) {
      JsonNode status = client.awaitFinished(entry.getKey(), Duration.ofMinutes(10));
      if (!status.path("status").asText().equals("done")) {
        throw new IllegalStateException(name + ": " + entry.getKey() + " failed: " + status.path("error").asText());
      }
      latencies.add((System.nanoTime() - entry.getValue()) / 1e9);
      status.path("timings").properties().forEach(t -> stageMs.merge(t.getKey(), t.getValue().asLong(), Long::sum));
    }
    return new Mode(name, pictures.size(), (System.nanoTime() - start) / 1e9, latencies, stageMs);
  }

  private static long cpuNanos() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  private static double percentile(List<Double> values, double p) {
    List<Double> sorted = values.stream().sorted().toList();
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private void printTable(List<Mode> modes, long peakKiB) {
    double bare = modes.get(0).perSecond();
    System.out.printf("%d photos from the samples, output at most %d px, %s generator%n", photos.size(), MAX_SIDE, generatorModel);
    System.out.printf("%-22s %10s %9s %8s %8s  %s%n", "mode", "pictures/s", "vs bare", "p50 s", "p95 s", "time per stage (ms, summed)");
    for (Mode mode : modes) {
      System.out.printf("%-22s %10.3f %9.2f %8.1f %8.1f  %s%n", mode.name(), mode.perSecond(), mode.perSecond() / bare,
          percentile(mode.latencies(), 0.5), percentile(mode.latencies(), 0.95), mode.stageMs());
    }
    System.out.printf("peak resident memory of this process (all modes, one JVM): %d MiB%n", peakKiB / 1024);
  }

  private void printJson(List<Mode> modes, long peakKiB) throws Exception {
    double bare = modes.get(0).perSecond();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Mode mode : modes) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("mode", mode.name());
      row.put("pictures", mode.pictures());
      row.put("seconds", mode.seconds());
      row.put("picturesPerSecond", mode.perSecond());
      row.put("ratioToBare", mode.perSecond() / bare);
      row.put("p50Seconds", percentile(mode.latencies(), 0.5));
      row.put("p95Seconds", percentile(mode.latencies(), 0.95));
      row.put("stageMs", mode.stageMs());
      rows.add(row);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("photos", photos.size());
    out.put("maxSide", MAX_SIDE);
    out.put("generatorModel", generatorModel);
    out.put("modes", rows);
    out.put("peakResidentMiB", peakKiB / 1024);
    System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
  }
}
