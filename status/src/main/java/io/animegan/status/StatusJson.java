package io.animegan.status;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.animegan.events.BlobRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * How a status is stored in the state store, its changelog and the internal HTTP answers:
 * {@code {"v":1,"status":{...ImageStatus fields...}}}. Versionable: readers ignore fields they do
 * not know and fill fields an older writer lacked with null, so a field can be added without
 * migrating the changelog; {@code v} names the layout should it ever change incompatibly.
 */
public final class StatusJson {

  static final int VERSION = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .registerModule(new SimpleModule("blob-ref")
          .addSerializer(BlobRef.class, new BlobRefSerializer())
          .addDeserializer(BlobRef.class, new BlobRefDeserializer()));

  private StatusJson() {}

  record Stored(int v, ImageStatus status) {}

  public static byte[] write(ImageStatus status) {
    try {
      return MAPPER.writeValueAsBytes(new Stored(VERSION, status));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write status " + status.id(), e);
    }
  }

  public static ImageStatus read(byte[] bytes) {
    try {
      Stored stored = MAPPER.readValue(bytes, Stored.class);
      if (stored.v() > VERSION) {
        throw new SerializationException("status layout v" + stored.v() + " is newer than this reader (v" + VERSION + ")");
      }
      return stored.status();
    } catch (IOException e) {
      throw new SerializationException("unreadable status: " + e.getMessage(), e);
    }
  }

  public static Serde<ImageStatus> serde() {
    return Serdes.serdeFrom(
        (topic, status) -> status == null ? null : write(status),
        (topic, bytes) -> bytes == null ? null : read(bytes));
  }

  /** Avro records carry their schema as a bean property; only bucket and key are the data. */
  private static final class BlobRefSerializer extends JsonSerializer<BlobRef> {
    @Override
    public void serialize(BlobRef ref, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeStartObject();
      gen.writeStringField("bucket", ref.getBucket());
      gen.writeStringField("key", ref.getKey());
      gen.writeEndObject();
    }
  }

  private static final class BlobRefDeserializer extends JsonDeserializer<BlobRef> {
    @Override
    public BlobRef deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      JsonNode node = parser.readValueAsTree();
      return new BlobRef(node.get("bucket").asText(), node.get("key").asText());
    }
  }
}
