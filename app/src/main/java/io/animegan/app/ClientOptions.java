package io.animegan.app;

import io.animegan.client.AnimeganClient;
import io.animegan.client.ImageOptions;
import java.util.Map;
import picocli.CommandLine.Option;

/** Which running service a client command talks to and what it asks for, shared by submit and batch. */
public final class ClientOptions {

    @Option(
            names = "--url",
            defaultValue = "${env:ANIMEGAN_URL:-http://localhost:8080}",
            description = "Service URL (env ANIMEGAN_URL). Default: ${DEFAULT-VALUE}")
    String url;

    @Option(
            names = "--token",
            defaultValue = "${env:ANIMEGAN_API_TOKEN}",
            description = "API token, when the service requires one (env ANIMEGAN_API_TOKEN; prefer the variable)")
    String token;

    @Option(
            names = "--max-side",
            defaultValue = "${env:ANIMEGAN_MAX_SIDE:-1920}",
            description = "Longest side of the results (env ANIMEGAN_MAX_SIDE). Default: ${DEFAULT-VALUE}")
    int maxSide;

    @Option(
            names = "--format",
            defaultValue = "${env:ANIMEGAN_FORMAT:-png}",
            description = "png or jpeg (env ANIMEGAN_FORMAT). Default: ${DEFAULT-VALUE}")
    String format;

    @Option(
            names = "--no-faces",
            defaultValue = "${env:ANIMEGAN_NO_FACES:-false}",
            description = "Skip face enhancement (env ANIMEGAN_NO_FACES=true)")
    boolean noFaces;

    @Option(
            names = "--style",
            defaultValue = "${env:ANIMEGAN_STYLE}",
            description =
                    "Style id or alias (see /api/styles; env ANIMEGAN_STYLE). Default: the service's default style")
    String style;

    AnimeganClient client() {
        return new AnimeganClient(url, token);
    }

    /** What the pictures are made into. */
    ImageOptions options() {
        ImageOptions options =
                ImageOptions.defaults().withMaxSide(maxSide).withFormat(format).withFaces(!noFaces);
        return style == null || style.isBlank() ? options : options.withStyles(style);
    }

    /** The request's form fields. */
    Map<String, String> fields() {
        return options().fields();
    }
}
