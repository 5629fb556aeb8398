package io.animegan.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.animegan.app.client.AnimeganClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Batch mode: sends every photo to a running service, one request each so that one bad picture
 * never stops the batch, follows them with a progress bar and saves the results.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = "Sends photos to a running service and saves the anime pictures (batch mode).")
final class SubmitCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", description = "Photos to convert")
  List<Path> photos;

  @Option(names = "--url", defaultValue = "${env:ANIMEGAN_URL:-http://localhost:8080}", description = "Service URL (env ANIMEGAN_URL). Default: ${DEFAULT-VALUE}")
  String url;

  @Option(names = "--token", defaultValue = "${env:ANIMEGAN_API_TOKEN}",
      description = "API token, when the service requires one (env ANIMEGAN_API_TOKEN; prefer the variable)")
  String token;

  @Option(names = {"-o", "--out"}, defaultValue = "anime", description = "Directory for the results. Default: ./${DEFAULT-VALUE}")
  Path out;

  @Option(names = "--max-side", defaultValue = "1920", description = "Longest side of the results. Default: ${DEFAULT-VALUE}")
  int maxSide;

  @Option(names = "--format", defaultValue = "png", description = "png or jpeg. Default: ${DEFAULT-VALUE}")
  String format;

  @Option(names = "--no-faces", description = "Skip face enhancement")
  boolean noFaces;

  @Override
  public Integer call() throws Exception {
    AnimeganClient client = new AnimeganClient(url, token);
    Files.createDirectories(out);
    Map<String, Path> pending = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    Map<String, String> fields = Map.of("maxSide", String.valueOf(maxSide), "format", format, "faces", String.valueOf(!noFaces));
    try (ProgressBar bar = new ProgressBar("anime", photos.size())) {
      for (Path photo : photos) {
        AnimeganClient.Response response = client.upload(photo.getFileName().toString(), Files.readAllBytes(photo), fields);
        if (response.status() == 202) {
          pending.put(AnimeganClient.imageId(response), photo);
        } else {
          problems.add(photo + ": refused: " + response.json().path("error").asText());
          bar.step();
        }
      }
      while (!pending.isEmpty()) {
        Thread.sleep(300);
        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
          var entry = it.next();
          JsonNode status = client.status(entry.getKey());
          if (AnimeganClient.isFinished(status)) {
            save(client, entry.getKey(), entry.getValue(), status, problems);
            it.remove();
            bar.step();
          }
        }
      }
    }
    problems.forEach(System.err::println);
    System.out.printf("%d of %d converted into %s%n", photos.size() - problems.size(), photos.size(), out);
    return problems.isEmpty() ? 0 : 1;
  }

  private void save(AnimeganClient client, String id, Path photo, JsonNode status, List<String> problems) throws Exception {
    if (!status.path("status").asText().equals("done")) {
      problems.add(photo + ": failed: " + status.path("error").asText());
      return;
    }
    AnimeganClient.Response result = client.get("/api/images/" + id + "/result");
    String extension = result.contentType().equals("image/jpeg") ? ".jpg" : ".png";
    String name = photo.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    Files.write(out.resolve(name + ".anime" + extension), result.body());
  }
}
