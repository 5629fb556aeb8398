package io.animegan.ingest.contract;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A reverse proxy in front of ingest that checks every answer passing through with
 * {@link ContractValidator}, for clients a test cannot hook into (the CLI's {@code AnimeganClient},
 * whose HTTP client is its own): the test points the client at {@link #url()}. An answer that does
 * not match the document reaches the client as a 502 naming the mismatch, so the test's own
 * assertion fails on it, and is also kept for {@link #assertNoMismatches()}, which catches the
 * ones a client swallows (an event stream it falls back from). Event streams are passed on as they
 * come; only their status and headers are checked.
 */
public final class ContractProxy implements AutoCloseable {

    /** Headers that belong to one connection, or that the JDK's client sets itself. */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "host",
            "connection",
            "content-length",
            "transfer-encoding",
            "expect",
            "upgrade",
            "keep-alive",
            "te",
            "trailer",
            "proxy-connection");

    private final String target;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "contract-proxy");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final List<String> mismatches = new CopyOnWriteArrayList<>();

    private ContractProxy(String target) throws IOException {
        this.target = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::forward);
        server.setExecutor(threads);
        server.start();
    }

    /** @param target ingest's base URL, e.g. {@code http://localhost:8080} */
    public static ContractProxy to(String target) {
        try {
            return new ContractProxy(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the contract proxy", e);
        }
    }

    /** The base URL to give the client instead of ingest's. */
    public String url() {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":"
                + server.getAddress().getPort();
    }

    /** Fails naming every answer that did not match the document so far. */
    public void assertNoMismatches() {
        if (!mismatches.isEmpty()) {
            throw new AssertionError(mismatches.size() + " answers did not match the OpenAPI document: " + mismatches);
        }
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            HttpResponse<InputStream> answer =
                    client.send(request(exchange), HttpResponse.BodyHandlers.ofInputStream());
            boolean stream =
                    answer.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
            try (InputStream in = answer.body()) {
                byte[] body = stream ? null : in.readAllBytes();
                try {
                    ContractValidator.instance()
                            .check(
                                    exchange.getRequestMethod(),
                                    exchange.getRequestURI(),
                                    answer.statusCode(),
                                    answer.headers().map(),
                                    body);
                } catch (AssertionError mismatch) {
                    mismatches.add(mismatch.getMessage());
                    refuse(exchange, mismatch.getMessage());
                    return;
                }
                copyHeaders(answer, exchange);
                if (stream) {
                    exchange.sendResponseHeaders(answer.statusCode(), 0);
                    pass(in, exchange.getResponseBody());
                } else {
                    boolean empty =
                            body.length == 0 || exchange.getRequestMethod().equals("HEAD");
                    exchange.sendResponseHeaders(answer.statusCode(), empty ? -1 : body.length);
                    if (!empty) {
                        exchange.getResponseBody().write(body);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpRequest request(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                .method(
                        exchange.getRequestMethod(),
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return request.build();
    }

    private static void copyHeaders(HttpResponse<?> answer, HttpExchange exchange) {
        answer.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
    }

    /** An event stream, passed on as each piece arrives, until either side ends it. */
    private static void pass(InputStream in, OutputStream out) {
        byte[] buffer = new byte[8192];
        try {
            for (int read; (read = in.read(buffer)) != -1; ) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // The client or the server went away: the stream ends here as it would without the proxy.
        }
    }

    private static void refuse(HttpExchange exchange, String why) throws IOException {
        byte[] body = ("{\"error\":" + quoted("contract mismatch: " + why) + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(502, body.length);
        exchange.getResponseBody().write(body);
    }

    private static String quoted(String text) {
        return "\""
                + text.replace("\\", "\\\\")
                        .replace("\"", "\\\"")
                        .replace("\n", "\\n")
                        .replace("\r", "\\r") + "\"";
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
