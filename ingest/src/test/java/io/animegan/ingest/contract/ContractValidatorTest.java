package io.animegan.ingest.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The validator itself: answers as ingest writes them pass, a drifted one does not. */
class ContractValidatorTest {

    private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));
    private static final String STATUS = """
      {"id":"a","name":"a.jpg","status":"done","stage":"done","style":"animeganv2-hayao","faces":1,"width":10,
       "height":20,"error":null,"timings":{"ingest":5,"total":90},
       "faceDetails":[{"box":[1.0,2.0,3.0,4.0],"score":0.9,"regions":["skin"]}],"job":null,
       "callback":null}""";

    private static List<String> problems(
            String method, String path, int status, Map<String, List<String>> headers, String body) {
        return ContractValidator.instance()
                .problems(method, path, status, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void answersAsIngestWritesThemMatch() {
        assertThat(problems("GET", "/api/images/a", 200, JSON, STATUS)).isEmpty();
        assertThat(problems("GET", "/api/images/a", 404, JSON, "{\"error\":\"no image a\"}"))
                .isEmpty();
        assertThat(problems(
                        "POST",
                        "/api/images",
                        429,
                        Map.of("Content-Type", List.of("application/json"), "Retry-After", List.of("3")),
                        "{\"error\":\"too many requests\"}"))
                .isEmpty();
        assertThat(problems(
                        "GET", "/api/images/a/result", 200, Map.of("Content-Type", List.of("image/png")), "\u0089PNG"))
                .isEmpty();
        assertThat(problems("GET", "/api/events", 200, Map.of("Content-Type", List.of("text/event-stream")), null))
                .isEmpty();
        assertThat(problems("GET", "/healthz", 200, JSON, "{\"status\":\"ok\"}"))
                .isEmpty();
    }

    @Test
    void aRenamedFieldAnUnknownStatusAndAWrongTypeAreMismatches() {
        assertThat(problems("GET", "/api/images/a", 200, JSON, STATUS.replace("\"faces\"", "\"faceCount\"")))
                .isNotEmpty();
        assertThat(problems("GET", "/api/images/a", 418, JSON, "{\"error\":\"teapot\"}"))
                .isNotEmpty();
        assertThat(problems("GET", "/api/images/a", 200, JSON, STATUS.replace("\"width\":10", "\"width\":\"10\"")))
                .isNotEmpty();
        assertThat(problems("GET", "/api/images/a", 404, JSON, "{\"message\":\"no image a\"}"))
                .isNotEmpty();
    }

    @Test
    void pathsTheDocumentDoesNotNameAreLeftToTheirTests() {
        assertThat(problems("GET", "/nope", 404, JSON, "{\"error\":\"not found\"}"))
                .isEmpty();
    }
}
