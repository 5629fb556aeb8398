package io.animegan.face;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.animegan.common.config.Topics;
import io.animegan.common.stage.ErrorCode;
import io.animegan.common.stage.StageException;
import io.animegan.common.storage.Keys;
import io.animegan.events.BlobRef;
import io.animegan.events.Face;
import io.animegan.events.FacesDetected;
import io.animegan.events.ImageFailed;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.Options;
import io.animegan.events.StoredFaceAnalysis;
import io.animegan.events.Trace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * face-stage's topology with a counting stand-in for the analysis (no models, no storage): the
 * styles of one upload are analysed once and each gets its own FacesDetected; a picture alone is
 * analysed as before; a picture that cannot be analysed fails every style of it.
 */
class FaceStageTopologyTest {

    private final Topics topics = Topics.withPrefix("", 1, (short) 1);
    private final CountingWork work = new CountingWork();
    private TopologyTestDriver driver;
    private TestInputTopic<String, ImageSubmitted> submitted;
    private TestOutputTopic<String, FacesDetected> faces;
    private TestOutputTopic<String, ImageFailed> failed;

    @BeforeEach
    void start(@TempDir Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "face-stage-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(FaceStageTopology.build(topics, work), props);
        submitted = driver.createInputTopic(
                topics.submitted().name(),
                topics.submitted().keySerde().serializer(),
                topics.submitted().valueSerde().serializer());
        faces = driver.createOutputTopic(
                topics.facesDetected().name(),
                topics.facesDetected().keySerde().deserializer(),
                topics.facesDetected().valueSerde().deserializer());
        failed = driver.createOutputTopic(
                topics.failed().name(),
                topics.failed().keySerde().deserializer(),
                topics.failed().valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void threeStylesOfOneUploadAreAnalysedOnceAndEachGetsItsOwnFaces() {
        List<String> styles = List.of("animeganv2-hayao", "animeganv3-shinkai", "whitebox-cartoon");
        for (int i = 0; i < 3; i++) {
            submitted.pipeInput("img-" + i, picture("img-" + i, styles.get(i), "img-0", 3));
        }

        assertThat(work.analysed).containsExactly("img-0");
        assertThat(work.analysedForGroup).containsExactly("img-0");
        List<KeyValue<String, FacesDetected>> out = faces.readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key).containsExactly("img-0", "img-1", "img-2");
        assertThat(out).allSatisfy(kv -> assertThat(kv.value.getImageId()).isEqualTo(kv.key));
        assertThat(out).extracting(kv -> kv.value.getOptions().getStyle()).containsExactlyElementsOf(styles);
        assertThat(out).allSatisfy(kv -> {
            FacesDetected detected = kv.value;
            assertThat(detected.getWidth()).isEqualTo(640);
            assertThat(detected.getFaces()).hasSize(2);
            assertThat(detected.getFaces()).extracting(Face::getBox).containsExactlyElementsOf(CountingWork.boxes());
            assertThat(detected.getFaces().get(1).getCrop().getKey())
                    .as("every style names the one analysis, no copy")
                    .isEqualTo(Keys.faceAnalysisCrop("img-0", 1));
            assertThat(detected.getFaces().get(1).getParsing().getKey())
                    .isEqualTo(Keys.faceAnalysisParsing("img-0", 1));
        });
        assertThat(work.reusedFrom)
                .as("the siblings took the first picture's faces")
                .containsExactly("img-0", "img-0");
        assertThat(failed.isEmpty()).isTrue();
        assertThat(kept()).as("the last sibling dropped the analysis").isEmpty();
    }

    @Test
    void aPictureAloneIsAnalysedAsBefore() {
        submitted.pipeInput("solo", picture("solo", "animeganv2-hayao", null, 0));
        submitted.pipeInput("off", picture("off", "animeganv2-hayao", "off", 2, false));

        assertThat(work.analysed).containsExactly("solo", "off");
        assertThat(work.analysedForGroup).isEmpty();
        assertThat(work.reusedFrom).isEmpty();
        assertThat(faces.readKeyValuesToList())
                .extracting(kv -> kv.key, kv -> kv.value.getImageId())
                .containsExactly(tuple("solo", "solo"), tuple("off", "off"));
        assertThat(kept()).isEmpty();
    }

    @Test
    void aPictureThatCannotBeAnalysedFailsEveryStyleOfIt() {
        for (int i = 0; i < 3; i++) {
            submitted.pipeInput("bad-" + i, picture("bad-" + i, "animeganv2-hayao", "bad-0", 3));
        }
        submitted.pipeInput("good", picture("good", "animeganv2-hayao", null, 0));

        assertThat(work.analysed).as("one attempt, then the picture after it").containsExactly("bad-0", "good");
        List<KeyValue<String, ImageFailed>> failures = failed.readKeyValuesToList();
        assertThat(failures).extracting(kv -> kv.key).containsExactly("bad-0", "bad-1", "bad-2");
        assertThat(failures).allSatisfy(kv -> {
            assertThat(kv.value.getImageId()).isEqualTo(kv.key);
            assertThat(kv.value.getStage()).isEqualTo(FaceProcessor.NAME);
            assertThat(kv.value.getErrorCode()).isEqualTo(ErrorCode.CORRUPT_IMAGE.name());
            assertThat(kv.value.getMessage()).isEqualTo("not a picture");
        });
        assertThat(faces.readKeyValuesToList().stream().map(kv -> kv.key).toList())
                .containsExactly("good");
        assertThat(kept()).isEmpty();
    }

    @Test
    void anAnalysisKeptAmongThePicturesIntermediatesIsNotTakenOver() {
        List<Face> intermediates =
                work.process(picture("img-0", "animeganv2-hayao", "img-0", 3)).getFaces();
        analyses()
                .put(
                        "img-0",
                        StoredFaceAnalysis.newBuilder()
                                .setImageId("img-0")
                                .setWidth(640)
                                .setHeight(480)
                                .setFaces(intermediates)
                                .setRemaining(2)
                                .setStoredAtMs(0)
                                .build());

        submitted.pipeInput("img-1", picture("img-1", "animeganv3-shinkai", "img-0", 3));
        submitted.pipeInput("img-2", picture("img-2", "whitebox-cartoon", "img-0", 3));

        assertThat(work.analysedForGroup)
                .as("analysed again, as the group's analysis")
                .containsExactly("img-1");
        assertThat(work.reusedFrom).containsExactly("img-1");
        assertThat(kept()).isEmpty();
    }

    @Test
    void anAnalysisWhoseSiblingsNeverComeIsDropped() {
        submitted.pipeInput("img-0", picture("img-0", "animeganv2-hayao", "img-0", 3));
        assertThat(analyses().get("img-0")).isNotNull();

        driver.advanceWallClockTime(FaceGroupProcessor.ABANDONED_AFTER.plus(FaceGroupProcessor.SWEEP));

        assertThat(kept()).isEmpty();
    }

    /** The groups whose analysis is kept. */
    private List<String> kept() {
        List<String> groups = new ArrayList<>();
        try (KeyValueIterator<String, StoredFaceAnalysis> all = analyses().all()) {
            all.forEachRemaining(entry -> groups.add(entry.key));
        }
        return groups;
    }

    private KeyValueStore<String, StoredFaceAnalysis> analyses() {
        return driver.getKeyValueStore(FaceStageTopology.analyses(topics));
    }

    private static ImageSubmitted picture(String id, String style, String group, int groupSize) {
        return picture(id, style, group, groupSize, true);
    }

    private static ImageSubmitted picture(String id, String style, String group, int groupSize, boolean faces) {
        return ImageSubmitted.newBuilder()
                .setImageId(id)
                .setName(id + ".jpg")
                .setSource(new BlobRef("b", Keys.original(id)))
                .setSizeBytes(1234L)
                .setOptions(Options.newBuilder().setStyle(style).setFaces(faces).build())
                .setTrace(new Trace("t", 1L, Map.of()))
                .setFaceGroup(group)
                .setFaceGroupSize(groupSize)
                .build();
    }

    /**
     * Stands in for FaceProcessor: two faces per picture, under the analysis keys when analysed for
     * a group; a picture whose id starts with "bad" is corrupt.
     */
    private static final class CountingWork implements FaceWork {

        final List<String> analysed = new ArrayList<>();
        final List<String> analysedForGroup = new ArrayList<>();
        final List<String> reusedFrom = new ArrayList<>();

        static List<List<Float>> boxes() {
            return List.of(List.of(10f, 20f, 110f, 140f), List.of(300f, 40f, 380f, 150f));
        }

        @Override
        public FacesDetected process(ImageSubmitted event) {
            return analyse(event, false);
        }

        @Override
        public FacesDetected analyseForGroup(ImageSubmitted event) {
            analysedForGroup.add(event.getImageId());
            return analyse(event, true);
        }

        private FacesDetected analyse(ImageSubmitted event, boolean forGroup) {
            String id = event.getImageId();
            analysed.add(id);
            if (id.startsWith("bad")) {
                throw new StageException(ErrorCode.CORRUPT_IMAGE, "not a picture");
            }
            List<Face> faces = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                faces.add(Face.newBuilder()
                        .setIndex(i)
                        .setScore(0.9f)
                        .setBox(boxes().get(i))
                        .setLandmarks(List.of())
                        .setAffine(List.of())
                        .setCrop(new BlobRef("b", forGroup ? Keys.faceAnalysisCrop(id, i) : Keys.faceCrop(id, i)))
                        .setParsing(
                                new BlobRef("b", forGroup ? Keys.faceAnalysisParsing(id, i) : Keys.faceParsing(id, i)))
                        .build());
            }
            return detected(event, faces);
        }

        @Override
        public FacesDetected reuse(ImageSubmitted event, int width, int height, List<Face> analysed) {
            reusedFrom.add(analysed.get(0).getCrop().getKey().split("/")[1]);
            return detected(event, analysed);
        }

        private static FacesDetected detected(ImageSubmitted event, List<Face> faces) {
            return FacesDetected.newBuilder()
                    .setImageId(event.getImageId())
                    .setSource(event.getSource())
                    .setWidth(640)
                    .setHeight(480)
                    .setOptions(event.getOptions())
                    .setFaces(faces)
                    .setTrace(event.getTrace())
                    .build();
        }
    }
}
