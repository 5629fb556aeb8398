package io.animegan.common.stage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import io.animegan.common.stage.CloudEventHeaders.Subject;
import io.animegan.common.stage.CloudEventHeaders.Type;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The AsyncAPI document of the topics ({@code docs/asyncapi.yaml}): it parses, names every topic of
 * {@link Topics} and no other, points each Avro payload at a schema file that exists and names the
 * event, and its CloudEvents header schema accepts the headers {@link CloudEventHeaders} writes.
 */
class AsyncApiDocumentTest {

    /** Tests run in the module's directory; the document is the repository's. */
    static final Path DOCUMENT = Path.of("..", "docs", "asyncapi.yaml");

    static final String AVRO = "application/vnd.apache.avro;version=1.9.0";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode document;

    @BeforeAll
    static void read() throws IOException {
        try (Reader in = Files.newBufferedReader(DOCUMENT, StandardCharsets.UTF_8)) {
            Map<String, Object> yaml = new Yaml().load(in);
            document = JSON.valueToTree(yaml);
        }
    }

    @Test
    void isAnAsyncApi3DocumentWithAChannelForEveryTopicAndNoOther() {
        assertThat(document.path("asyncapi").asText()).isEqualTo("3.0.0");
        List<String> addresses = new ArrayList<>();
        document.path("channels")
                .forEach(channel -> addresses.add(channel.path("address").asText()));
        List<String> topics = Topics.defaults().all().stream().map(Topic::name).toList();
        assertThat(addresses).containsExactlyInAnyOrderElementsOf(topics);
        document.path("operations")
                .forEach(operation -> assertThat(
                                operation.path("channel").path("$ref").asText())
                        .startsWith("#/channels/"));
    }

    @Test
    void everyMessageHasAKeyAndEveryAvroPayloadNamesItsSchemaFile() throws IOException {
        JsonNode messages = document.path("components").path("messages");
        assertThat(messages.size()).isEqualTo(Topics.defaults().all().size());
        for (var it = messages.properties().iterator(); it.hasNext(); ) {
            var message = it.next();
            assertThat(message.getValue()
                            .path("bindings")
                            .path("kafka")
                            .path("key")
                            .isMissingNode())
                    .as("key of %s", message.getKey())
                    .isFalse();
            JsonNode payload = message.getValue().path("payload");
            if (payload.has("schemaFormat")) {
                assertThat(payload.path("schemaFormat").asText()).isEqualTo(AVRO);
                Path avsc = DOCUMENT.getParent()
                        .resolve(payload.path("schema").path("$ref").asText());
                assertThat(avsc).as("schema of %s", message.getKey()).isRegularFile();
                JsonNode schema = JSON.readTree(avsc.toFile());
                assertThat(schema.path("namespace").asText() + "."
                                + schema.path("name").asText())
                        .isEqualTo("io.animegan.events." + message.getKey());
            }
        }
    }

    @Test
    void statesTheOrderingAndTheExactlyOnceGuarantee() {
        String description = document.path("info").path("description").asText();
        assertThat(description).contains("exactly_once_v2", "read_committed", "per partition");
    }

    @Test
    void theCloudEventsHeaderSchemaAcceptsWhatTheStagesWriteAndRefusesLess() {
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(
                        document.path("components")
                                .path("schemas")
                                .path("CloudEventHeaders")
                                .toString(),
                        InputFormat.JSON);
        for (Type type : Type.values()) {
            Headers headers = new RecordHeaders();
            CloudEventHeaders.write(
                    headers, URI.create("/animegan/blend-stage"), new Subject(type, "id-1"), 1_700_000_000_000L);
            ObjectNode written = asJson(headers);
            assertThat(schema.validate(written.toString(), InputFormat.JSON))
                    .as(type.value())
                    .isEmpty();
            written.remove("ce_id");
            assertThat(schema.validate(written.toString(), InputFormat.JSON)).isNotEmpty();
        }
    }

    private static ObjectNode asJson(Headers headers) {
        ObjectNode json = JSON.createObjectNode();
        for (Header header : headers) {
            json.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return json;
    }
}
