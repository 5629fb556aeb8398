package io.animegan.app;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the embedded Kafka and S3 servers keep their data, for run and infra alike. */
public final class DataDirOption {

    @Option(
            names = "--data-dir",
            defaultValue = "${env:ANIMEGAN_DATA_DIR:-data}",
            description =
                    "Kafka logs and stored objects; kept across restarts (env ANIMEGAN_DATA_DIR). Default: ./${DEFAULT-VALUE}")
    Path dataDir;

    public Path dir() {
        return dataDir;
    }
}
