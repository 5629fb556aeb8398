package io.animegan.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.animegan.app.client.AnimeganClient;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.stylize.AnimeGanGenerator;
import io.animegan.stylize.OutputSize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the embedded system as a user meets it: start-up, then each sample photo through the
 * HTTP API one at a time, with the per-stage times from the status; and the two generators side by
 * side in one run, so their ratio is fair on a shared, noisy machine.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks start-up, end-to-end seconds per photo and time per stage on the embedded system.")
final class BenchCommand implements Callable<Integer> {

  @Option(names = "--samples", defaultValue = "../shared/samples", description = "Directory of photos. Default: ${DEFAULT-VALUE}")
  Path samples;

  @Option(names = "--models", description = "Directory with the ONNX models. Default: ./models, or ../shared/models")
  Path modelsDir;

  @Option(names = "--runs", defaultValue = "2", description = "Times each photo is sent (the median is reported). Default: ${DEFAULT-VALUE}")
  int runs;

  @Option(names = "--generators", defaultValue = "true", negatable = true, description = "Also compare the float and int8 generators.")
  boolean generators;

  @Override
  public Integer call() throws Exception {
    Path models = ConnectionOptions.resolveModelsDir(modelsDir);
    List<Path> photos;
    try (Stream<Path> files = Files.list(samples)) {
      photos = files.filter(p -> p.toString().matches("(?i).*\\.(jpe?g|png)$")).sorted().toList();
    }
    if (generators) {
      compareGenerators(models, photos.get(0));
    }
    Path dataDir = Files.createTempDirectory("animegan-bench");
    long t0 = System.nanoTime();
    try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(dataDir, 0, models, PipelineConfig.DEFAULT_GENERATOR, 3)) {
      System.out.printf("start-up of the embedded system: %.1f s%n%n", (System.nanoTime() - t0) / 1e9);
      AnimeganClient client = new AnimeganClient("http://localhost:" + pipeline.httpPort());
      System.out.printf("%-26s %9s %5s %10s %8s %8s %8s %8s%n", "photo", "output", "faces", "end-to-end", "face", "stylize", "blend", "other");
      for (Path photo : photos) {
        benchPhoto(client, photo);
      }
    }
    System.out.printf("%npeak resident memory of this JVM (everything above, in one process): %s%n", peakResidentMemory());
    return 0;
  }

  /** VmHWM from /proc: the resident high-water mark, which includes ONNX Runtime's native buffers. */
  private static String peakResidentMemory() throws java.io.IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return "unknown (no /proc)";
    }
    return Files.readAllLines(status).stream()
        .filter(line -> line.startsWith("VmHWM:"))
        .map(line -> line.substring(6).trim())
        .findFirst().orElse("unknown");
  }

  private void benchPhoto(AnimeganClient client, Path photo) throws Exception {
    List<Double> seconds = new ArrayList<>();
    JsonNode last = null;
    for (int run = 0; run < runs; run++) {
      long start = System.nanoTime();
      String id = AnimeganClient.imageId(client.upload(photo.getFileName().toString(), Files.readAllBytes(photo), Map.of()));
      last = client.awaitFinished(id, Duration.ofMinutes(5));
      if (!last.path("status").asText().equals("done")) {
        throw new IllegalStateException(photo + " failed: " + last.path("error").asText());
      }
      seconds.add((System.nanoTime() - start) / 1e9);
    }
    JsonNode t = last.path("timings");
    long stages = t.path("face").asLong() + t.path("stylize").asLong() + t.path("blend").asLong();
    double median = median(seconds);
    System.out.printf("%-26s %4dx%-4d %5d %9.1fs %7.1fs %7.1fs %7.1fs %7.1fs%n", photo.getFileName(),
        last.path("width").asInt(), last.path("height").asInt(), last.path("faces").asInt(), median,
        t.path("face").asLong() / 1e3, t.path("stylize").asLong() / 1e3, t.path("blend").asLong() / 1e3,
        median - stages / 1e3);
  }

  private void compareGenerators(Path models, Path photo) throws Exception {
    Mat source = ImageCodec.decode(Files.readAllBytes(photo));
    Map<String, Map<Integer, Double>> ms = new LinkedHashMap<>();
    for (String file : List.of(PipelineConfig.FLOAT_GENERATOR, PipelineConfig.DEFAULT_GENERATOR)) {
      try (OnnxModel model = OnnxModel.load(models, file, 0)) {
        AnimeGanGenerator generator = new AnimeGanGenerator(model);
        Map<Integer, Double> bySide = new TreeMap<>();
        for (int side : List.of(512, 1024)) {
          OutputSize size = OutputSize.fit(source.cols(), source.rows(), side);
          Mat input = new Mat();
          Imgproc.resize(source, input, new Size(size.width(), size.height()), 0, 0, Imgproc.INTER_AREA);
          generator.stylize(input); // warm-up
          List<Double> times = new ArrayList<>();
          for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            generator.stylize(input);
            times.add((System.nanoTime() - start) / 1e6);
          }
          bySide.put(side, median(times));
        }
        ms.put(file, bySide);
      }
    }
    System.out.println("generator, median of 3 (ms), long side:");
    ms.forEach((file, bySide) -> System.out.printf("  %-28s %s%n", file, bySide));
    for (int side : List.of(512, 1024)) {
      System.out.printf("  int8 speed-up at %d: %.2fx%n", side,
          ms.get(PipelineConfig.FLOAT_GENERATOR).get(side) / ms.get(PipelineConfig.DEFAULT_GENERATOR).get(side));
    }
    System.out.println();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
