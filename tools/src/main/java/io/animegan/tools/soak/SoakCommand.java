package io.animegan.tools.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.animegan.app.EmbeddedPipeline;
import io.animegan.app.ModelsOption;
import io.animegan.client.AnimeganClient;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.metrics.ResidentMemory;
import io.animegan.tools.SamplesOption;
import io.animegan.tools.ScratchDirs;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Starts the embedded system in this JVM and pushes pictures with faces through it, printing the
 * process's resident memory after a warm-up and every few pictures, and its slope: flat means
 * every Mat, tensor and buffer a picture needs is given back.
 */
@Command(
        name = "soak",
        mixinStandardHelpOptions = true,
        description =
                "Memory soak: sends many photos with faces through the embedded system and reports resident memory per 100 pictures.")
public final class SoakCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SamplesOption samples;

    @Mixin
    ModelsOption models;

    @Option(
            names = "--count",
            defaultValue = "${env:ANIMEGAN_SOAK_COUNT:-200}",
            description = "Pictures to send (env ANIMEGAN_SOAK_COUNT). Default: ${DEFAULT-VALUE}")
    int count;

    @Option(
            names = "--max-side",
            defaultValue = "${env:ANIMEGAN_SOAK_MAX_SIDE:-512}",
            description = "Longest side of the results (env ANIMEGAN_SOAK_MAX_SIDE). Default: ${DEFAULT-VALUE}")
    int maxSide;

    @Option(
            names = "--warm-up",
            defaultValue = "${env:ANIMEGAN_SOAK_WARM_UP:-20}",
            description = "Pictures before the first sample (env ANIMEGAN_SOAK_WARM_UP). Default: ${DEFAULT-VALUE}")
    int warmUp;

    @Option(
            names = "--every",
            defaultValue = "${env:ANIMEGAN_SOAK_EVERY:-20}",
            description = "Pictures between samples (env ANIMEGAN_SOAK_EVERY). Default: ${DEFAULT-VALUE}")
    int every;

    @Option(
            names = "--in-flight",
            defaultValue = "${env:ANIMEGAN_SOAK_IN_FLIGHT:-3}",
            description = "Pictures in the pipeline at once (env ANIMEGAN_SOAK_IN_FLIGHT). Default: ${DEFAULT-VALUE}")
    int inFlight;

    @Option(
            names = "--partitions",
            defaultValue = "${env:ANIMEGAN_PARTITIONS:-3}",
            description = "Partitions per topic (env ANIMEGAN_PARTITIONS). Default: ${DEFAULT-VALUE}")
    int partitions;

    @Option(
            names = "--json",
            defaultValue = "${env:ANIMEGAN_SOAK_JSON:-false}",
            description = "Print the report as JSON instead of a table (env ANIMEGAN_SOAK_JSON).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Soak.Settings settings = new Soak.Settings(count, maxSide, warmUp, every, inFlight);
        List<Soak.Photo> photos = photos(samples.photos());
        Path models = this.models.dir();
        Path dataDir = Files.createTempDirectory("animegan-soak");
        Soak.Report report;
        try (EmbeddedPipeline pipeline =
                EmbeddedPipeline.start(dataDir, 0, models, PipelineConfig.DEFAULT_GENERATOR, partitions)) {
            AnimeganClient client = new AnimeganClient("http://localhost:" + pipeline.httpPort());
            if (!json) {
                out.printf(
                        "soak: %d pictures from %d photos, maxSide %d, faces on, %d in flight; JVM max heap %.0f MB%n",
                        count,
                        photos.size(),
                        maxSide,
                        inFlight,
                        Runtime.getRuntime().maxMemory() / 1e6);
                out.printf(
                        "%8s %8s %9s %14s %15s %12s%n",
                        "pictures", "seconds", "RSS MB", "heap after GC", "heap committed", "RSS - heap");
                out.flush();
            }
            report = new Soak(client, photos, settings).run(sample -> {
                if (!json) {
                    out.printf(
                            Locale.ROOT,
                            "%8d %8.0f %9.1f %14.1f %15.1f %12.1f%n",
                            sample.pictures(),
                            sample.seconds(),
                            sample.rss(),
                            sample.heapAfterGc(),
                            sample.heapCommitted(),
                            sample.nonHeap());
                    out.flush();
                }
            });
        } finally {
            ScratchDirs.deleteRecursively(dataDir);
        }
        if (json) {
            out.println(new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(report));
        } else {
            printSummary(out, report);
        }
        out.flush();
        return report.failed() == 0 ? 0 : 1;
    }

    private static void printSummary(PrintWriter out, Soak.Report report) {
        List<Soak.Sample> s = report.samples();
        out.printf(Locale.ROOT, "%nafter warm-up, MB per 100 pictures (least squares over %d samples):%n", s.size());
        out.printf(
                Locale.ROOT,
                "  resident memory (VmRSS) %+.1f   heap after GC %+.1f   RSS - committed heap %+.1f%n",
                report.rssSlope(),
                report.heapSlope(),
                report.nonHeapSlope());
        if (!s.isEmpty()) {
            out.printf(
                    Locale.ROOT,
                    "  RSS %.1f MB at %d pictures, %.1f MB at %d; peak %s%n",
                    s.get(0).rss(),
                    s.get(0).pictures(),
                    s.get(s.size() - 1).rss(),
                    s.get(s.size() - 1).pictures(),
                    peakResident());
        }
        out.printf(
                "  failed pictures: %d%s%n",
                report.failed(), report.failures().isEmpty() ? "" : " " + report.failures());
        out.printf("  JVM: %s%n", ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    private static String peakResident() {
        long kib = ResidentMemory.kib(ResidentMemory.PEAK);
        return kib > 0 ? kib + " kB" : "unknown";
    }

    static List<Soak.Photo> photos(List<Path> files) throws IOException {
        List<Soak.Photo> photos = new ArrayList<>();
        for (Path file : files) {
            photos.add(new Soak.Photo(file.getFileName().toString(), Files.readAllBytes(file)));
        }
        return photos;
    }
}
