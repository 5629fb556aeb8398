package io.animegan.ingest.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenAPI 3.1 document rewritten as the 3.0 document it is equivalent to, for
 * swagger-request-validator: with a 3.1 document it loads the schemas but checks no {@code type}
 * (its JSON-schema engine reads the 3.0 model), so a number sent as a string would pass. The
 * document uses few 3.1 constructs, each with a 3.0 form:
 * <ul>
 *   <li>{@code anyOf: [{type: T}, {type: "null"}]} becomes {@code type: T, nullable: true};
 *   <li>{@code type: [T, U, ...]} (no null) becomes no type constraint;
 *   <li>{@code contentMediaType} on a string becomes {@code format: binary};
 *   <li>{@code license.identifier} is dropped.
 * </ul>
 */
final class OpenApi30 {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenApi30() {}

    static String of(String openApi31) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(openApi31);
            root.put("openapi", "3.0.3");
            if (root.path("info").path("license") instanceof ObjectNode license) {
                license.remove("identifier");
            }
            rewrite(root);
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void rewrite(JsonNode node) {
        if (node instanceof ObjectNode object) {
            nullable(object);
            if (object.path("type").isArray()) {
                object.remove("type");
            }
            if (object.has("contentMediaType")) {
                object.remove("contentMediaType");
                object.put("format", "binary");
            }
            List<JsonNode> children = new ArrayList<>();
            object.elements().forEachRemaining(children::add);
            children.forEach(OpenApi30::rewrite);
        } else if (node instanceof ArrayNode array) {
            array.forEach(OpenApi30::rewrite);
        }
    }

    /** {@code anyOf: [{type: T, ...}, {type: "null"}]} as {@code type: T, ..., nullable: true}. */
    private static void nullable(ObjectNode object) {
        JsonNode anyOf = object.get("anyOf");
        if (anyOf == null
                || anyOf.size() != 2
                || !anyOf.get(1).path("type").asText().equals("null")) {
            return;
        }
        object.remove("anyOf");
        object.setAll((ObjectNode) anyOf.get(0));
        object.put("nullable", true);
    }
}
