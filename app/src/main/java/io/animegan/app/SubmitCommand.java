package io.animegan.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.animegan.client.AnimeganClient;
import io.animegan.client.ApiError;
import io.animegan.client.ImageOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Batch mode: sends every photo to a running service, one request each so that one bad picture
 * never stops the batch, follows them with a progress bar and saves the results.
 */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description = "Sends photos to a running service and saves the anime pictures (batch mode).")
final class SubmitCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", description = "Photos to convert")
    List<Path> photos;

    @Option(
            names = {"-o", "--out"},
            defaultValue = "${env:ANIMEGAN_OUT:-anime}",
            description = "Directory for the results (env ANIMEGAN_OUT). Default: ./${DEFAULT-VALUE}")
    Path out;

    @Mixin
    ClientOptions request;

    @Override
    public Integer call() throws Exception {
        AnimeganClient client = request.client();
        Files.createDirectories(out);
        Map<String, Path> pending = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        ImageOptions options = request.options();
        try (ProgressBar bar = new ProgressBar("anime", photos.size())) {
            for (Path photo : photos) {
                try {
                    pending.put(
                            client.submitImages(List.of(photo), options).get(0).id(), photo);
                } catch (ApiError e) {
                    problems.add(photo + ": refused: " + e.error());
                    bar.step();
                }
            }
            client.awaitFinished(pending.keySet(), null, (id, status) -> {
                save(client, id, pending.get(id), status, problems);
                bar.step();
            });
        }
        problems.forEach(System.err::println);
        System.out.printf("%d of %d converted into %s%n", photos.size() - problems.size(), photos.size(), out);
        return problems.isEmpty() ? 0 : 1;
    }

    private void save(AnimeganClient client, String id, Path photo, JsonNode status, List<String> problems)
            throws IOException, InterruptedException {
        if (!status.path("status").asText().equals("done")) {
            problems.add(photo + ": failed: " + status.path("error").asText());
            return;
        }
        AnimeganClient.Result result;
        try {
            result = client.downloadResult(id);
        } catch (ApiError e) {
            problems.add(photo + ": result not downloaded: " + e.error());
            return;
        }
        String name = photo.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        Files.write(out.resolve(name + ".anime" + result.extension()), result.bytes());
    }
}
