package io.animegan.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.animegan.events.StoredJob;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The typed (Avro) stored form of a job holds exactly what the JSON form holds, its pictures' order included. */
class StoredJobsTest {

    private static JobStatus job() {
        return JobStatus.empty("job-1")
                .ownedBy("acme")
                .with("z-img", JobStatus.PENDING, 3, 1_000L)
                .with("a-img", JobStatus.PENDING, 3, 1_001L)
                .with("m-img", JobStatus.PENDING, 3, 1_002L)
                .with("a-img", JobStatus.DONE, 3, 2_000L)
                .with("z-img", JobStatus.FAILED, 3, 2_500L);
    }

    @Test
    void aFoldedJobRoundTripsEqualInSubmissionOrder() {
        JobStatus job = job();
        JobStatus read = StoredJobs.read(StoredJobs.write(job));
        assertThat(read).isEqualTo(job);
        assertThat(read.images().keySet())
                .containsExactlyElementsOf(job.images().keySet());
        assertThat(StoredJobs.read(StoredJobs.write(job.announcedNow()))).isEqualTo(job.announcedNow());
        assertThat(StoredJobs.read(StoredJobs.write(JobStatus.empty("e")))).isEqualTo(JobStatus.empty("e"));
    }

    @Test
    void theStoreWritesTheAvroFormAndReadsTheJsonOfEarlierVersions() {
        JobStatus job = job();
        byte[] written = JobChange.serde().serializer().serialize("t", new JobChange(job, true));
        assertThat(StoredStatuses.isAvro(written)).isTrue();
        assertThat(JobChange.serde().deserializer().deserialize("t", written)).isEqualTo(new JobChange(job, false));
        assertThat(JobChange.serde().deserializer().deserialize("t", null)).isNull();
        assertThat(StoredJobs.readAny(LegacyJsonTest.JOB_V1.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(LegacyJsonTest.jobV1());
    }

    @Test
    void theSchemaHasOneFieldPerComponentAndDefaultsForAllButTheId() {
        Schema schema = StoredJob.getClassSchema();
        assertThat(schema.getFields())
                .extracting(Schema.Field::name)
                .containsExactlyElementsOf(Arrays.stream(JobStatus.class.getRecordComponents())
                        .map(RecordComponent::getName)
                        .toList());
        assertThat(schema.getFields())
                .filteredOn(f -> !f.hasDefaultValue())
                .extracting(Schema.Field::name)
                .containsExactly("id");
    }

    @Test
    void aJobRecordNamesItsClipsAndOneWrittenBeforeClipsReadsAsPicturesOnly() {
        JobRecord record = new JobRecord("acme", List.of("p1"), 1_000L, List.of("c1"));
        assertThat(JobRecord.fromJson(record.toJson())).isEqualTo(record);
        JobStatus queued = record.asQueued("job-9");
        assertThat(queued.pending()).isEqualTo(2);
        assertThat(queued.imageIds()).containsExactly("p1");
        assertThat(queued.videoIds()).containsExactly("c1");

        JobRecord older = JobRecord.fromJson(
                "{\"tenant\":\"acme\",\"images\":[\"p1\"],\"createdAtMs\":5}".getBytes(StandardCharsets.UTF_8));
        assertThat(older.videos()).isEmpty();
        assertThat(older.images()).containsExactly("p1");
    }
}
