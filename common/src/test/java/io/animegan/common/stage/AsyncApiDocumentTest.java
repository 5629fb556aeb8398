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
import java.util.regex.Pattern;
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
    static final String SPECIFICATION_SCHEMA = "/asyncapi/asyncapi-3.0.0.schema.json";
    /** Where AsyncAPI 3 requires a Reference Object: an operation's (or its reply's) channel and messages. */
    private static final Pattern OPERATION_REFERENCE =
            Pattern.compile("/operations/[^/]+(/reply)?/(channel|messages/\\d+)");

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

    /**
     * The whole document against the AsyncAPI 3.0.0 JSON Schema of the specification (kept in the
     * test resources, see the README there), with its references inside the document resolved
     * first as AsyncAPI parsers do: the schema cannot tell a Reference Object from a JSON Schema
     * that is only a {@code $ref}. The Avro payloads, files of their own, are checked below.
     */
    @Test
    void isValidAgainstTheAsyncApi300JsonSchema() throws IOException {
        Schema specification;
        try (var in = AsyncApiDocumentTest.class.getResourceAsStream(SPECIFICATION_SCHEMA)) {
            assertThat(in).as(SPECIFICATION_SCHEMA).isNotNull();
            specification = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                    .getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8), InputFormat.JSON);
        }
        JsonNode resolved = resolved(document, "");
        assertThat(specification.validate(resolved.toString(), InputFormat.JSON))
                .as("problems of docs/asyncapi.yaml")
                .isEmpty();
        ObjectNode broken = resolved.deepCopy();
        ((ObjectNode) broken.path("info")).remove("version");
        assertThat(specification.validate(broken.toString(), InputFormat.JSON))
                .as("a document without info.version")
                .isNotEmpty();
    }

    /**
     * {@code node} (at JSON pointer {@code path}) with every {@code $ref} to {@code #/...} replaced by
     * what it points at, but for an operation's channel and messages, which must stay references.
     */
    private static JsonNode resolved(JsonNode node, String path) {
        return resolved(node, path, 0);
    }

    private static JsonNode resolved(JsonNode node, String path, int hops) {
        JsonNode ref = node.path("$ref");
        if (ref.isTextual()
                && ref.asText().startsWith("#/")
                && !OPERATION_REFERENCE.matcher(path).matches()) {
            JsonNode target = document.at(ref.asText().substring(1));
            assertThat(target.isMissingNode()).as(ref.asText()).isFalse();
            assertThat(hops)
                    .as("references followed at " + path + " (a cycle?)")
                    .isLessThan(16);
            return resolved(target, path, hops + 1);
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            node.properties()
                    .forEach(
                            field -> copy.set(field.getKey(), resolved(field.getValue(), path + "/" + field.getKey())));
            return copy;
        }
        if (node.isArray()) {
            var copy = JSON.createArrayNode();
            for (int i = 0; i < node.size(); i++) {
                copy.add(resolved(node.get(i), path + "/" + i));
            }
            return copy;
        }
        return node;
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
                // A message of a record another message also carries names it (x-avro-record).
                String record = message.getValue().path("x-avro-record").asText(message.getKey());
                assertThat(schema.path("namespace").asText() + "."
                                + schema.path("name").asText())
                        .isEqualTo("io.animegan.events." + record);
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
