package io.animegan.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.events.BlobRef;
import io.animegan.status.ImageStatus.FaceDetail;
import io.animegan.status.ImageStatus.Phase;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Statuses and jobs as earlier versions stored them (versioned JSON) still read the same. */
class LegacyJsonTest {

    /** A done status as the JSON writer of earlier versions stored it. */
    static final String STATUS_V1 = """
      {"v":1,"status":{"id":"a","name":"cat.jpg","phase":"DONE","detailRank":3,"faces":1,"width":1920,\
      "height":1440,"error":null,"stageMs":{"face":120,"stylize":900},"submittedAtMs":1000,\
      "completedAtMs":9000,"faceDetails":[{"box":[1.0,2.0,30.0,40.0],"score":0.9,"regions":["eyes"]}],\
      "result":{"bucket":"animegan","key":"results/a/anime.png"},"resultContentType":"image/png",\
      "overlay":null,"style":"hayao","updatedAtMs":1500,"jobId":"job-1","tenant":"acme","sizeBytes":1234}}""";

    /** A finished job as the JSON writer of earlier versions stored it. */
    static final String JOB_V1 = """
      {"v":1,"job":{"id":"job-1","total":2,"images":{"z":"done","a":"failed"},"submittedAtMs":1000,\
      "lastFinishedAtMs":9000,"announced":true,"tenant":"acme"}}""";

    static ImageStatus statusV1() {
        return ImageStatus.builder("a")
                .name("cat.jpg")
                .phase(Phase.DONE)
                .detailRank(3)
                .faces(1)
                .width(1920)
                .height(1440)
                .stageMs(Map.of("face", 120L, "stylize", 900L))
                .submittedAtMs(1000L)
                .completedAtMs(9000L)
                .faceDetails(List.of(new FaceDetail(List.of(1f, 2f, 30f, 40f), 0.9f, List.of("eyes"))))
                .result(new BlobRef("animegan", "results/a/anime.png"))
                .resultContentType("image/png")
                .style("hayao")
                .updatedAtMs(1500L)
                .jobId("job-1")
                .tenant("acme")
                .sizeBytes(1234L)
                .build();
    }

    static JobStatus jobV1() {
        Map<String, String> images = new LinkedHashMap<>();
        images.put("z", JobStatus.DONE);
        images.put("a", JobStatus.FAILED);
        return new JobStatus("job-1", 2, images, 1000L, 9000L, true, "acme");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsAStatusAndAJobAsStored() {
        assertThat(LegacyJson.status(utf8(STATUS_V1))).isEqualTo(statusV1());
        JobStatus job = LegacyJson.job(utf8(JOB_V1));
        assertThat(job).isEqualTo(jobV1());
        assertThat(job.imageIds()).containsExactly("z", "a");
    }

    @Test
    void toleratesFieldsItDoesNotKnowAndFieldsAnOlderWriterLacked() {
        String newer = STATUS_V1.replace("\"name\":", "\"mood\":\"sunny\",\"name\":");
        assertThat(LegacyJson.status(utf8(newer))).isEqualTo(statusV1());
        ImageStatus old =
                LegacyJson.status(utf8("{\"v\":1,\"status\":{\"id\":\"h\",\"phase\":\"QUEUED\",\"detailRank\":-1}}"));
        assertThat(old.id()).isEqualTo("h");
        assertThat(old.stageMs()).isEmpty();
        assertThat(old.faceDetails()).isEmpty();
        assertThat(old.updatedAtMs()).isNull();
    }

    @Test
    void refusesALayoutNewerThanItKnows() {
        assertThatThrownBy(() -> LegacyJson.job(utf8(JOB_V1.replace("\"v\":1", "\"v\":2"))))
                .isInstanceOf(SerializationException.class);
    }
}
