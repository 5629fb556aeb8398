package io.animegan.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.events.BlobRef;
import io.animegan.events.StoredImageStatus;
import io.animegan.events.StoredJob;
import io.animegan.events.StoredVideoStatus;
import java.io.IOException;
import java.io.InputStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The stored records' schemas against every released version kept under {@code stored-history/}:
 * a status app reads what an earlier one stored in its changelog, and an earlier one, during a
 * rolling upgrade, reads what this one stores. A schema change adds its version file here.
 */
class StoredSchemaEvolutionTest {

    @ParameterizedTest
    @CsvSource({
        "StoredImageStatus-v1.avsc, status",
        "StoredImageStatus-v2.avsc, status",
        "StoredJob-v1.avsc, job",
        "StoredJob-v2.avsc, job",
        "StoredVideoStatus-v1.avsc, video"
    })
    void everyReleasedVersionReadsAndIsReadByTheCurrentOne(String file, String kind) throws IOException {
        Schema current = switch (kind) {
            case "status" -> StoredImageStatus.getClassSchema();
            case "job" -> StoredJob.getClassSchema();
            default -> StoredVideoStatus.getClassSchema();
        };
        Schema released = released(file);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, released)
                        .getType())
                .as("this version reads %s", file)
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(released, current)
                        .getType())
                .as("%s reads this version", file)
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    private static Schema released(String file) throws IOException {
        try (InputStream in = StoredSchemaEvolutionTest.class.getResourceAsStream("/stored-history/" + file)) {
            // The stored records refer to the events' BlobRef by name.
            Schema.Parser parser = new Schema.Parser();
            parser.parse(BlobRef.getClassSchema().toString());
            return parser.parse(in);
        }
    }
}
