package io.animegan.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The loop a user would write in Python instead of running the service ({@code anchor.py}, shipped
 * in this jar): Pillow decode, fit to the output size, the generator with ONNX Runtime's default
 * session options, PNG at level 1. It runs in its own process, with the Python given, and reports
 * its pictures/s, each photo's seconds, the time in each phase and its CPU time.
 */
final class PythonAnchor {

    static final String SCRIPT = "anchor.py";
    /** The modules the script imports: onnxruntime, numpy and Pillow. */
    static final String IMPORTS = "import onnxruntime, numpy, PIL";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String python;
    private final Path script;
    private final String onnxRuntimeVersion;

    private PythonAnchor(String python, Path script, String onnxRuntimeVersion) {
        this.python = python;
        this.script = script;
        this.onnxRuntimeVersion = onnxRuntimeVersion;
    }

    /** The figures of one pass over the photos. */
    record Pass(int pictures, double seconds, List<Double> latencies, Map<String, Long> phaseMs, long cpuMs) {}

    /** A Python with onnxruntime, numpy and Pillow, or empty after printing why the anchor is skipped. */
    static Optional<PythonAnchor> find(String python, Path workDir) throws IOException, InterruptedException {
        String version;
        try {
            Output check = run(List.of(python, "-c", IMPORTS + "; print(onnxruntime.__version__)"), 60);
            if (check.exitCode() != 0) {
                System.out.printf(
                        "skipped: python anchor: %s cannot import onnxruntime, numpy and pillow (%s); set one up as the"
                                + " README says and give it with --python or ANIMEGAN_PYTHON%n",
                        python, lastLine(check.text()));
                return Optional.empty();
            }
            version = lastLine(check.text());
        } catch (IOException e) {
            System.out.printf(
                    "skipped: python anchor: no %s found (%s); give one with --python or ANIMEGAN_PYTHON%n",
                    python, e.getMessage());
            return Optional.empty();
        }
        Path script = workDir.resolve(SCRIPT);
        try (InputStream in = PythonAnchor.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the tools jar");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        return Optional.of(new PythonAnchor(python, script, version));
    }

    String onnxRuntimeVersion() {
        return onnxRuntimeVersion;
    }

    /** One pass over {@code photos} after the script's own warm-up picture. */
    Pass run(Path model, int maxSide, int threads, List<Path> photos) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                python,
                script.toString(),
                "--json",
                model.toString(),
                String.valueOf(maxSide),
                String.valueOf(threads)));
        photos.forEach(photo -> command.add(photo.toString()));
        Output output = run(command, 3600);
        if (output.exitCode() != 0) {
            throw new IllegalStateException(
                    "python anchor failed (exit " + output.exitCode() + "): " + lastLine(output.text()));
        }
        JsonNode summary = JSON.readTree(lastLine(output.text()));
        List<Double> latencies = new ArrayList<>();
        summary.path("latenciesSeconds").forEach(s -> latencies.add(s.asDouble()));
        Map<String, Long> phaseMs = new LinkedHashMap<>();
        summary.path("phaseMs")
                .properties()
                .forEach(p -> phaseMs.put(p.getKey(), p.getValue().asLong()));
        return new Pass(
                summary.path("photos").asInt(),
                summary.path("seconds").asDouble(),
                latencies,
                phaseMs,
                Math.round(summary.path("cpuSeconds").asDouble() * 1000));
    }

    private record Output(int exitCode, String text) {}

    private static Output run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] bytes;
        try (InputStream in = process.getInputStream()) {
            bytes = in.readAllBytes();
        }
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command.subList(0, 2)) + " did not finish");
        }
        return new Output(process.exitValue(), new String(bytes, StandardCharsets.UTF_8));
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
