package io.animegan.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/** The folder of photos bench and soak send through the system. */
public final class SamplesOption {

    @Option(
            names = "--samples",
            defaultValue = "${env:ANIMEGAN_EXAMPLES_DIR:-samples}",
            description =
                    "Directory of photos, sent in turn (env ANIMEGAN_EXAMPLES_DIR; ./animegan sets it to its own samples/). "
                            + "Default: ${DEFAULT-VALUE}")
    Path samples;

    /** Its .jpg and .png files, sorted by name; at least one. */
    public List<Path> photos() throws IOException {
        try (Stream<Path> files = Files.list(samples)) {
            List<Path> photos = files.filter(p -> p.toString().matches("(?i).*\\.(jpe?g|png)$"))
                    .sorted()
                    .toList();
            if (photos.isEmpty()) {
                throw new IllegalArgumentException("no .jpg or .png photos in " + samples);
            }
            return photos;
        }
    }
}
