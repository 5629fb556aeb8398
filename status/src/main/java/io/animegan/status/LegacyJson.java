package io.animegan.status;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.animegan.events.BlobRef;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The versioned JSON that statuses and jobs were stored in before their Avro records
 * ({@code {"v":1,"status":{...}}}, {@code {"v":1,"job":{...}}}): read, never written, so a changelog
 * or an instance of the previous version still restores and answers. Readers ignore fields they
 * do not know and fill missing ones with null.
 */
final class LegacyJson {

    static final int VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .registerModule(new SimpleModule("blob-ref").addDeserializer(BlobRef.class, new BlobRefDeserializer()));

    private LegacyJson() {}

    static ImageStatus status(byte[] bytes) {
        return read(bytes, "status", ImageStatus.class);
    }

    static JobStatus job(byte[] bytes) {
        return read(bytes, "job", JobStatus.class);
    }

    private static <T> T read(byte[] bytes, String field, Class<T> type) {
        try {
            JsonNode stored = MAPPER.readTree(bytes);
            int v = stored.path("v").asInt();
            if (v > VERSION) {
                throw new SerializationException(
                        field + " layout v" + v + " is newer than this reader (v" + VERSION + ")");
            }
            return MAPPER.treeToValue(stored.get(field), type);
        } catch (IOException e) {
            throw new SerializationException("unreadable " + field + ": " + e.getMessage(), e);
        }
    }

    /** Avro records carry their schema as a bean property; only bucket and key are the data. */
    private static final class BlobRefDeserializer extends JsonDeserializer<BlobRef> {
        @Override
        public BlobRef deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode node = parser.readValueAsTree();
            return new BlobRef(node.get("bucket").asText(), node.get("key").asText());
        }
    }
}
