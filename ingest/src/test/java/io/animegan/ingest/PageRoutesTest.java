package io.animegan.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.status.ImageStatus;
import io.animegan.status.ImageStatus.Phase;
import io.animegan.status.ImageStatus.Stage;
import io.animegan.status.InMemoryStatusStore;
import io.animegan.status.QueueEstimator;
import io.animegan.status.ResultFile;
import io.animegan.status.StatusStore;
import io.animegan.submission.ApiException;
import io.animegan.submission.Tenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure parts of the page's routes: id lists, example names, download names. */
class PageRoutesTest {

    @TempDir
    Path dir;

    @Test
    void idListsAreValidatedAndBounded() {
        assertThat(ProgressRoutes.ids("a-1, b_2,a-1")).containsExactly("a-1", "b_2");
        assertThatThrownBy(() -> ProgressRoutes.ids(null)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> ProgressRoutes.ids("ok,../etc")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> ProgressRoutes.ids(",,,")).isInstanceOf(ApiException.class);
        String tooMany = String.join(
                ",",
                java.util.stream.IntStream.rangeClosed(0, ProgressRoutes.MAX_IDS)
                        .mapToObj(i -> "id" + i)
                        .toList());
        assertThatThrownBy(() -> ProgressRoutes.ids(tooMany))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("at most " + ProgressRoutes.MAX_IDS);
    }

    @Test
    void aStreamEndsAfterItsLifetimeAndGivesItsSlotBack() throws Exception {
        // One queued picture of the anonymous tenant, so the stream is opened and then left alone.
        ImageStatus queued = ImageStatus.unknown("a").ofTenant(Tenant.ANONYMOUS.id(), 1L);
        StatusStore nothing = new InMemoryStatusStore().put(queued);
        ProgressRoutes progress = new ProgressRoutes(
                nothing,
                new QueueEstimator(),
                null,
                new GuardSettings.StreamLimits(1, 10, java.time.Duration.ofSeconds(1)));
        io.javalin.Javalin app = io.javalin.Javalin.create(cfg -> {
                    cfg.startup.showJavalinBanner = false;
                    progress.register(cfg.routes);
                    cfg.routes.exception(
                            ApiException.class,
                            (e, ctx) -> ctx.status(e.status()).result(e.getMessage()));
                })
                .start("127.0.0.1", 0);
        try (progress) {
            String request = "GET /api/events?ids=a HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n";
            long started = System.nanoTime();
            RawHttp.Answer first = RawHttp.send(app.port(), request, new byte[0]); // returns once the server ends it
            long lived = (System.nanoTime() - started) / 1_000_000;
            assertThat(first.status()).isEqualTo(200);
            // The limit is 1 s. Up to 5 times that leaves a loaded machine room; a stream without the
            // limit lives until RawHttp gives up on it (15 s).
            assertThat(lived).as("ms the stream lived").isBetween(900L, 5_000L);
            // Its one slot (per tenant) is free again.
            assertThat(RawHttp.send(app.port(), request, new byte[0]).status()).isEqualTo(200);
        } finally {
            app.stop();
        }
    }

    @Test
    void examplesArePictureFilesDirectlyInTheFolderAndNothingElse() throws Exception {
        Path examples = Files.createDirectories(dir.resolve("examples"));
        Files.write(examples.resolve("b.jpg"), new byte[] {1});
        Files.write(examples.resolve("a.png"), new byte[] {1});
        Files.write(examples.resolve("notes.txt"), new byte[] {1});
        Files.write(examples.resolve(".hidden.jpg"), new byte[] {1});
        Files.createDirectories(examples.resolve("sub.jpg"));
        Files.write(dir.resolve("secret.jpg"), new byte[] {1});
        ExampleRoutes routes = new ExampleRoutes(examples);

        assertThat(routes.list()).extracting(ExampleRoutes.Example::name).containsExactly("a.png", "b.jpg");
        assertThat(routes.list().get(0).url()).isEqualTo("/api/examples/a.png");
        assertThat(routes.find("b.jpg")).isEqualTo(examples.resolve("b.jpg").toAbsolutePath());
        for (String bad :
                List.of("../secret.jpg", "..", "notes.txt", ".hidden.jpg", "sub.jpg", "missing.jpg", "a/b.jpg", "")) {
            assertThatThrownBy(() -> routes.find(bad))
                    .as(bad)
                    .isInstanceOf(ApiException.class)
                    .extracting(e -> ((ApiException) e).status())
                    .isEqualTo(404);
        }
        assertThat(new ExampleRoutes(null).list()).isEmpty();
        assertThat(new ExampleRoutes(dir.resolve("absent")).list()).isEmpty();
    }

    @Test
    void downloadsAreNamedAfterTheUpload() {
        assertThat(ResultFile.fileName(named("holiday.jpg"), "png")).isEqualTo("holiday.anime.png");
        assertThat(ResultFile.fileName(named("a.b.webp"), "jpeg")).isEqualTo("a.b.anime.jpg");
        assertThat(ResultFile.fileName(named("say \"hi\".png"), "png")).isEqualTo("say _hi_.anime.png");
        assertThat(ResultFile.fileName(named(null), "png")).isEqualTo("id-1.anime.png");
    }

    @Test
    void stagesFollowTheLatestEvent() {
        assertThat(Stage.reached(Stage.QUEUED.rank)).isEqualTo(Stage.QUEUED);
        assertThat(Stage.reached(Stage.FACES.rank)).isEqualTo(Stage.FACES);
        assertThat(Stage.reached(Stage.STYLIZED.rank)).isEqualTo(Stage.STYLIZED);
        assertThat(named("x.jpg").stage()).isEqualTo(Stage.DONE);
        assertThat(Stage.QUEUED.progress()).isLessThan(Stage.FACES.progress());
        assertThat(Stage.FACES.progress()).isLessThan(Stage.STYLIZED.progress());
        assertThat(Stage.STYLIZED.progress()).isLessThan(Stage.DONE.progress());
    }

    private static ImageStatus named(String name) {
        return ImageStatus.builder("id-1")
                .name(name)
                .phase(Phase.DONE)
                .detailRank(3)
                .faces(0)
                .width(10)
                .height(10)
                .submittedAtMs(1L)
                .completedAtMs(2L)
                .resultContentType("image/png")
                .build();
    }
}
