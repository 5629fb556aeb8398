package io.animegan.ingest;

import static io.animegan.ingest.Infra.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.Topic;
import io.animegan.common.config.VideoTopics;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.events.BlobRef;
import io.animegan.status.ImageStatus;
import io.animegan.status.StatusService;
import io.animegan.status.StatusSettings;
import io.animegan.status.StatusTopology;
import io.animegan.status.TestEvents;
import io.animegan.status.TestVideoEvents;
import io.animegan.status.VideoStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status store against a real broker and S3 server: restart, several instances, retention, cleanup. */
class StatusStoreIT {

    static final long MAX_UPLOAD = 300_000;

    @TempDir
    Path dir;

    private static IngestServer start(PipelineConfig config, StatusSettings status) {
        return IngestServer.start(config, new IngestSettings(0, MAX_UPLOAD).withStatus(status));
    }

    static final String INTERNAL_SECRET = "instances-only-secret";

    /** An instance whose internal routes want the shared secret. */
    private static IngestServer startWithSecret(PipelineConfig config) {
        return IngestServer.start(
                config,
                new IngestSettings(0, MAX_UPLOAD)
                        .withGuards(GuardSettings.defaults().withInternalSecret(INTERNAL_SECRET)));
    }

    private static HttpResponse<byte[]> get(IngestServer server, String id) {
        return new Http(server.port()).get("/api/images/" + id);
    }

    private static JsonNode awaitStatus(IngestServer server, String id, String status) throws InterruptedException {
        await(id + " " + status + " on port " + server.port(), () -> {
            HttpResponse<byte[]> r = get(server, id);
            return r.statusCode() == 200 && Http.json(r).get("status").asText().equals(status);
        });
        return Http.json(get(server, id));
    }

    /** Blobs under all three prefixes and a face group's analysis, as the pipeline leaves them for one picture. */
    private static void storeBlobs(Infra infra, BlobStore store, String id) {
        store.put(Keys.original(id), new byte[] {1, 2, 3}, "image/jpeg");
        store.put(Keys.stylizedPicture(id), new byte[] {4}, "image/png");
        store.put(Keys.faceCrop(id, 0), new byte[] {5}, "image/png");
        store.put(Keys.faceAnalysisCrop(id, 0), new byte[] {7}, "image/png");
        store.put(Keys.result(id, "png"), new byte[] {6}, "image/png");
        for (String prefix : Keys.imagePrefixes(id)) {
            assertThat(infra.objects(prefix)).as(prefix).isNotEmpty();
        }
    }

    /** Plays the pipeline for one picture: its blobs, then its events. */
    private static void finish(Infra infra, BlobStore store, String id, boolean ok) throws Exception {
        storeBlobs(infra, store, id);
        infra.produce(TestEvents.submitted(id, id + ".jpg"));
        if (ok) {
            BlobRef result = new BlobRef(store.bucket(), Keys.result(id, "png"));
            infra.produce(TestEvents.completed(id, result, "image/png", 1, 10, 10));
        } else {
            infra.produce(TestEvents.failed(id, "blend", "INTERNAL_ERROR", "broken"));
        }
    }

    @Test
    void aRestartRestoresFromTheChangelogWithoutReplayingTheTopics() throws Exception {
        try (Infra infra = Infra.start(dir)) {
            List<String> ids = new ArrayList<>();
            Map<String, String> before = new HashMap<>();
            try (IngestServer first = start(infra.config, StatusSettings.defaults())) {
                for (int i = 0; i < 10; i++) {
                    String id = "restart-" + i;
                    ids.add(id);
                    infra.produce(TestEvents.submitted(id, id + ".jpg"));
                    // In the service's bucket: a completion naming another one is folded as failed.
                    infra.produce(TestEvents.completed(
                            id,
                            new BlobRef(infra.config.storage().bucket(), Keys.result(id, "png")),
                            "image/png",
                            i,
                            640,
                            480));
                }
                for (String id : ids) {
                    before.put(id, awaitStatus(first, id, "done").toString());
                }
            }
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka.bootstrapServers()))) {
                Map<TopicPartition, Long> ends = endOffsets(admin, infra);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                                StatusTopology.APPLICATION_ID)
                        .partitionsToOffsetAndMetadata()
                        .get();
                ends.forEach((partition, end) -> assertThat(
                                committed.containsKey(partition)
                                        ? committed.get(partition).offset()
                                        : 0L)
                        .as("committed offset of %s", partition)
                        .isEqualTo(end));

                // The same state directory: a restart resumes from the committed offsets.
                try (IngestServer again = start(infra.config, StatusSettings.defaults())) {
                    for (String id : ids) {
                        assertThat(Http.json(get(again, id)).toString()).isEqualTo(before.get(id));
                    }
                }
                // The events are gone from the topics and the state directory is new: only the changelog can answer.
                Map<TopicPartition, RecordsToDelete> all = new HashMap<>();
                ends.forEach((partition, end) -> all.put(partition, RecordsToDelete.beforeOffset(end)));
                admin.deleteRecords(all).all().get();
                try (IngestServer restored =
                        start(infra.config.withStateDir(dir.resolve("fresh-state")), StatusSettings.defaults())) {
                    for (String id : ids) {
                        assertThat(Http.json(get(restored, id)).toString()).isEqualTo(before.get(id));
                    }
                }
            }
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, Infra infra) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (Topic<?> topic : infra.topics().events()) {
            for (int p = 0; p < infra.topics().partitions(); p++) {
                request.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
            }
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    @Test
    void aSecondInstanceAnswersForIdsItDoesNotOwnAndHearsEveryChange() throws Exception {
        try (Infra infra = Infra.start(dir);
                IngestServer a = startWithSecret(infra.config.withStateDir(dir.resolve("state-a")));
                IngestServer b = startWithSecret(infra.config.withStateDir(dir.resolve("state-b")))) {
            List<ImageStatus> heardByB = new CopyOnWriteArrayList<>();
            try (AutoCloseable subscription = b.statuses().subscribe(heardByB::add)) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    ids.add("two-" + i);
                    infra.produce(TestEvents.submitted("two-" + i, "two-" + i + ".jpg"));
                }
                HostInfo hostA = a.statuses().self();
                HostInfo hostB = b.statuses().self();
                // Once both have joined, the two partitions are spread over the two instances.
                await("both instances own a partition", () -> {
                    try {
                        List<HostInfo> owners =
                                ids.stream().map(id -> b.statuses().ownerOf(id)).toList();
                        return owners.contains(hostA)
                                && owners.contains(hostB)
                                && a.statuses().isRunning()
                                && b.statuses().isRunning();
                    } catch (RuntimeException e) {
                        return false;
                    }
                });
                String ownedByA = ids.stream()
                        .filter(id -> b.statuses().ownerOf(id).equals(hostA))
                        .findFirst()
                        .orElseThrow();
                assertThat(a.statuses().ownerOf(ownedByA)).isEqualTo(hostA).isNotEqualTo(hostB);

                JsonNode viaB = awaitStatus(b, ownedByA, "queued");
                assertThat(viaB.get("name").asText()).isEqualTo(ownedByA + ".jpg");
                assertThat(viaB.toString())
                        .isEqualTo(Http.json(get(a, ownedByA)).toString());
                Http.assertError(get(b, "nobody-has-this"), 404, "nobody-has-this");

                // The instances meet on their internal port, never the public one, and prove the secret there.
                assertThat(hostA.port()).isEqualTo(a.internalPort()).isNotEqualTo(a.port());
                Http.assertError(new Http(a.port()).get("/internal/status/" + ownedByA), 404, "not found");
                Http.assertError(new Http(a.port()).get("/internal/jobs/any"), 404, "not found");
                Http.assertError(new Http(a.internalPort()).get("/internal/status/" + ownedByA), 403, "secret");
                HttpResponse<byte[]> internal = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://localhost:" + a.internalPort()
                                                + "/internal/status/" + ownedByA))
                                        .header(StatusService.SECRET_HEADER, INTERNAL_SECRET)
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                assertThat(internal.statusCode()).isEqualTo(200);
                assertThat(new String(internal.body(), StandardCharsets.UTF_8)).contains(ownedByA + ".jpg");

                clipsOwnedByAAnswerOnB(infra, a, b);

                infra.produce(TestEvents.failed(ownedByA, "face", "CORRUPT_IMAGE", "truncated"));
                assertThat(awaitStatus(b, ownedByA, "failed").get("stage").asText())
                        .isEqualTo("failed");
                await(
                        "B heard A's change",
                        () -> heardByB.stream()
                                .anyMatch(s -> s.id().equals(ownedByA) && s.phase() == ImageStatus.Phase.FAILED));
            }
        }
    }

    /** A clip's status owned by A is answered by B through A's internal route, and B hears A's changes. */
    private static void clipsOwnedByAAnswerOnB(Infra infra, IngestServer a, IngestServer b) throws Exception {
        List<VideoStatus> heardByB = new CopyOnWriteArrayList<>();
        try (AutoCloseable subscription = b.statuses().subscribeVideos(heardByB::add)) {
            VideoTopics videos = infra.topics().videos();
            List<String> clips = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String id = "clip-" + i;
                clips.add(id);
                infra.produce(videos.submitted(), id, TestVideoEvents.submitted(id, id + ".mp4", "anonymous", 10));
            }
            HostInfo hostA = a.statuses().self();
            await(
                    "a clip owned by A",
                    () -> clips.stream().anyMatch(id -> owner(b, id).equals(hostA)));
            String clip = clips.stream()
                    .filter(id -> owner(b, id).equals(hostA))
                    .findFirst()
                    .orElseThrow();
            await(
                    "B answers for A's clip",
                    () -> new Http(b.port()).get("/api/videos/" + clip).statusCode() == 200);
            JsonNode viaB = Http.json(new Http(b.port()).get("/api/videos/" + clip));
            assertThat(viaB.get("name").asText()).isEqualTo(clip + ".mp4");
            assertThat(viaB.get("status").asText()).isEqualTo("queued");
            Http.assertError(new Http(a.internalPort()).get("/internal/videos/" + clip), 403, "secret");

            infra.produce(videos.planned(), clip, TestVideoEvents.planned(clip, 30, 1));
            await(
                    "B sees A's clip processing",
                    () -> "processing"
                            .equals(Http.json(new Http(b.port()).get("/api/videos/" + clip))
                                    .get("status")
                                    .asText()));
            await(
                    "B heard A's change",
                    () -> heardByB.stream()
                            .anyMatch(s -> s.id().equals(clip) && s.phase() == ImageStatus.Phase.PROCESSING));
        }
    }

    private static HostInfo owner(IngestServer server, String clip) {
        try {
            return server.statuses().videoOwnerOf(clip);
        } catch (RuntimeException e) {
            return new HostInfo("unknown", 0); // rebalancing: asked again
        }
    }

    @Test
    void pastTheRetentionTheStatusAndEveryBlobAreGone() throws Exception {
        StatusSettings shortRetention =
                new StatusSettings(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(500), "localhost");
        try (Infra infra = Infra.start(dir);
                IngestServer server = start(infra.config, shortRetention)) {
            BlobStore store = new BlobStore(infra.config.storage());
            finish(infra, store, "short-lived", true);
            long seen = System.nanoTime();
            awaitStatus(server, "short-lived", "done");

            await("status tombstoned", () -> get(server, "short-lived").statusCode() == 404);
            double gone = (System.nanoTime() - seen) / 1e9;
            System.out.printf("retention 2 s, scan every 1 s: status gone %.1f s after it was last seen%n", gone);
            Http.assertError(get(server, "short-lived"), 404, "short-lived");
            for (String prefix : Keys.imagePrefixes("short-lived")) {
                assertThat(infra.objects(prefix)).as(prefix).isEmpty();
            }
            assertThat(infra.objects(Keys.faceAnalysisPrefix("short-lived")))
                    .as("the face group's analysis goes with the picture")
                    .isEmpty();
            assertThat(infra.records(StatusTopology.statusChangelog(StatusTopology.APPLICATION_ID)))
                    .filteredOn(r -> r.key().equals("short-lived"))
                    .last()
                    .satisfies(r -> assertThat(r.value()).as("tombstone").isNull());
        }
    }

    @Test
    void intermediateBlobsAreDeletedOnceAPictureIsDoneOrFailed() throws Exception {
        StatusSettings quickCleanup = StatusSettings.defaults().withCleanupInterval(Duration.ofMillis(500));
        try (Infra infra = Infra.start(dir);
                IngestServer server = start(infra.config, quickCleanup)) {
            BlobStore store = new BlobStore(infra.config.storage());
            finish(infra, store, "done-one", true);
            finish(infra, store, "failed-one", false);
            awaitStatus(server, "done-one", "done");
            awaitStatus(server, "failed-one", "failed");
            for (String id : List.of("done-one", "failed-one")) {
                await(
                        "work/" + id + "/ deleted",
                        () -> infra.objects(Keys.workPrefix(id)).isEmpty());
                assertThat(infra.objects(Keys.inputsPrefix(id))).containsExactly(Keys.original(id));
                assertThat(infra.objects(Keys.faceAnalysisPrefix(id)))
                        .as("the face group's other styles may still read its analysis")
                        .containsExactly(Keys.faceAnalysisCrop(id, 0));
            }
            assertThat(infra.objects(Keys.resultsPrefix("done-one"))).containsExactly(Keys.result("done-one", "png"));
            assertThat(infra.objects(Keys.resultsPrefix("failed-one")))
                    .containsExactly(Keys.result("failed-one", "png"));
            assertThat(new String(get(server, "done-one").body(), StandardCharsets.UTF_8))
                    .contains("\"status\":\"done\"");
        }
    }
}
