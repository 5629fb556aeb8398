package io.animegan.app;

import picocli.CommandLine.Option;

/** The HTTP port of the API and web page, for run and ingest alike. */
public final class HttpPortOption {

    @Option(
            names = "--port",
            defaultValue = "${env:ANIMEGAN_HTTP_PORT:-8080}",
            description = "HTTP port (env ANIMEGAN_HTTP_PORT). Default: ${DEFAULT-VALUE}")
    int port;

    /** How a start-up failure names this setting. */
    static final String NAME = "--port (env ANIMEGAN_HTTP_PORT)";

    public int port() {
        return port;
    }
}
