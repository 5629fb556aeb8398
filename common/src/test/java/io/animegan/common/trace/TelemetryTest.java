package io.animegan.common.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Acceptance 7: spans leave the process through OTLP only when an endpoint is configured. */
class TelemetryTest {

    /** Where the SDK's OTLP/HTTP exporter sends when no endpoint is given. */
    private static final int OTLP_DEFAULT_PORT = 4318;

    @Test
    void withoutAnEndpointNothingIsExportedNorConnectedToButSpansStillHaveIds() throws IOException {
        assumeTrue(
                System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == null
                        && System.getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == null
                        && System.getProperty("otel.exporter.otlp.endpoint") == null,
                "an OTLP endpoint is configured here");
        ServerSocket listener;
        try {
            listener = new ServerSocket(OTLP_DEFAULT_PORT, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            listener = null; // something else has the port: the exporter list still shows nothing is sent
        }
        try (ServerSocket ignored = listener) {
            // An explicit exporter without an endpoint does not turn sending on either.
            for (Map<String, String> overrides :
                    java.util.List.of(Map.<String, String>of(), Map.of(Telemetry.TRACES_EXPORTER, "otlp"))) {
                Telemetry.Configured configured = Telemetry.fromEnvironment("animegan-test", overrides);
                assertThat(configured.exporters()).as("no span exporter at all").isEmpty();
                Span span = configured
                        .sdk()
                        .getTracer(Telemetry.SCOPE)
                        .spanBuilder("work")
                        .startSpan();
                assertThat(span.getSpanContext().isValid())
                        .as("real ids for headers and logs")
                        .isTrue();
                span.end();
                configured.sdk().shutdown().join(5, TimeUnit.SECONDS);
            }
            if (listener != null) {
                assertThat(accepted(listener, 1_000))
                        .as("no connection to the default OTLP port")
                        .isNull();
            }
        }
    }

    @Test
    void withAnEndpointSpansAreSentThroughOtlpHttp() throws IOException {
        try (ServerSocket collector = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String endpoint = "http://127.0.0.1:" + collector.getLocalPort();
            for (String key : java.util.List.of(Telemetry.ENDPOINT, Telemetry.TRACES_ENDPOINT)) {
                String value = key.equals(Telemetry.ENDPOINT) ? endpoint : endpoint + "/v1/traces";
                Telemetry.Configured configured = Telemetry.fromEnvironment("animegan-test", Map.of(key, value));
                assertThat(configured.exporters()).as(key).hasSize(1);
                OpenTelemetrySdk sdk = configured.sdk();
                sdk.getTracer(Telemetry.SCOPE).spanBuilder("work").startSpan().end();
                Thread flush = new Thread(() -> sdk.shutdown().join(5, TimeUnit.SECONDS));
                flush.start();
                String requestLine = accepted(collector, 10_000);
                assertThat(requestLine).as(key).isEqualTo("POST /v1/traces HTTP/1.1");
                flush.interrupt();
            }
        }
    }

    @Test
    void theDefaultBeforeStartMakesRealSpansAndPropagatesW3c() {
        Span span = Telemetry.tracer().spanBuilder("work").startSpan();
        assertThat(span.getSpanContext().isValid()).isTrue();
        assertThat(Telemetry.propagator().fields()).contains("traceparent", "tracestate", "baggage");
        span.end();
    }

    /** The first line of the first request on {@code socket} within the time, or null. */
    private static String accepted(ServerSocket socket, int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        try (Socket connection = socket.accept()) {
            connection.setSoTimeout(timeoutMillis);
            return new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        } catch (SocketTimeoutException e) {
            return null;
        }
    }
}
