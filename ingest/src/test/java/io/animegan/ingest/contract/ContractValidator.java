package io.animegan.ingest.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks every answer a test receives from ingest against the OpenAPI document ingest serves
 * ({@code api/openapi.json}), with Atlassian's swagger-request-validator, and fails the test on a
 * mismatch: a route whose answer changes without the document changing fails the tests that call it.
 * The validator reads OpenAPI 3.0 only, so it is given the document as {@link OpenApi30} rewrites it.
 *
 * <p>Only answers are checked: tests send malformed requests on purpose. Paths and methods the
 * document does not name are left alone for the same reason (a probe of {@code /nope} gets a JSON
 * 404 that no operation describes); every documented operation's answers are checked in full,
 * error answers included.
 */
public final class ContractValidator {

    /** The document as ingest serves it. */
    public static final String RESOURCE = "/api/openapi.json";

    private static final ContractValidator INSTANCE = new ContractValidator();

    private final OpenApiInteractionValidator validator;

    private ContractValidator() {
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(OpenApi30.of(document()))
                .withLevelResolver(LevelResolver.create()
                        // Requests are the tests' business: many are wrong on purpose.
                        .withLevel("validation.request", ValidationReport.Level.IGNORE)
                        .build())
                .build();
    }

    public static ContractValidator instance() {
        return INSTANCE;
    }

    public static String document() {
        try (InputStream in = ContractValidator.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource missing: " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fails with an {@link AssertionError} naming every mismatch of the answer with the document.
     *
     * @param uri the request's URI (only its path is used)
     * @param body the answer's body; null for a stream, whose status and headers alone are checked
     */
    public void check(String method, URI uri, int status, Map<String, List<String>> headers, byte[] body) {
        List<String> problems = problems(method, uri.getRawPath(), status, headers, body);
        if (!problems.isEmpty()) {
            throw new AssertionError("answer to " + method + " " + uri.getRawPath() + " (" + status
                    + ") does not match " + RESOURCE + ": " + String.join("; ", problems));
        }
    }

    /** As {@link #check(String, URI, int, Map, byte[])}, for an answer of the JDK's client; returns it. */
    public <T> HttpResponse<T> check(HttpResponse<T> response) {
        byte[] body = response.body() instanceof byte[] bytes
                ? bytes
                : response.body() instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : null;
        check(
                response.request().method(),
                response.uri(),
                response.statusCode(),
                response.headers().map(),
                body);
        return response;
    }

    /**
     * As {@link #check(String, URI, int, Map, byte[])}, for an answer read off a socket: the request
     * line of {@code head} names method and path; a request line too garbled to name them is not checked.
     */
    public void check(String head, int status, String headers, String body) {
        String[] requestLine = head.split("\r\n", 2)[0].split(" ");
        URI uri;
        try {
            uri = URI.create(requestLine[1]);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return;
        }
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                map.computeIfAbsent(line.substring(0, colon).strip(), name -> new ArrayList<>())
                        .add(line.substring(colon + 1).strip());
            }
        }
        boolean stream =
                map.getOrDefault("Content-Type", List.of()).stream().anyMatch(t -> t.startsWith("text/event-stream"));
        check(requestLine[0], uri, status, map, stream ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** The mismatches of one answer with the document, empty when it matches. */
    public List<String> problems(
            String method, String path, int status, Map<String, List<String>> headers, byte[] body) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        headers.forEach((name, values) -> {
            if (name != null && !name.startsWith(":")) {
                response.withHeader(name, values);
            }
        });
        if (body != null && body.length > 0) {
            response.withBody(body);
        }
        ValidationReport report = validator.validateResponse(
                path, Request.Method.valueOf(method.toUpperCase(Locale.ROOT)), response.build());
        return report.getMessages().stream()
                .filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
                // A stream's body is read by its test as it comes, not here.
                .filter(message -> body != null || !message.getKey().equals("validation.response.body.missing"))
                .map(message -> message.getKey() + ": " + message.getMessage())
                .collect(Collectors.toList());
    }
}
