package io.animegan.video.stage;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.stage.StageRunner;
import io.animegan.common.storage.BlobStore;
import io.animegan.video.VideoSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The video-stage Kafka Streams application: plans submitted clips into segment records and
 * assembles the drawn segments (see {@link VideoStageTopology}). Segments are drawn by stylize-stage.
 */
public final class VideoStageApp {

    public static final String APPLICATION_ID = "animegan-video-stage";

    private static final Logger log = LoggerFactory.getLogger(VideoStageApp.class);

    private VideoStageApp() {}

    public static StageRunner create(PipelineConfig config, VideoSettings settings) {
        BlobStore store = new BlobStore(config.storage());
        Path work = workDir();
        ClipPlanning planning = new ClipPlanning(store, settings, work);
        ClipAssembly assembly = new ClipAssembly(store, settings, work);
        return new StageRunner(
                APPLICATION_ID,
                VideoStageTopology.build(config.topics().videos(), planning::plan, assembly::assemble, store.bucket()),
                VideoStreamsSettings.forApplication(APPLICATION_ID, config),
                () -> {});
    }

    /**
     * Where clips are fetched to while a record is processed; each record deletes its own files. One
     * directory per process, so two stage processes on one host never write or delete each other's
     * files; those of processes no longer running (killed before they could clean up) are deleted.
     */
    public static Path workDir() {
        Path base = Path.of(System.getProperty("java.io.tmpdir"), "animegan-video");
        deleteLeftovers(base);
        return base.resolve(Long.toString(ProcessHandle.current().pid()));
    }

    private static void deleteLeftovers(Path base) {
        try (Stream<Path> dirs = Files.list(base)) {
            dirs.filter(dir -> isLeftover(dir.getFileName().toString())).forEach(VideoStageApp::deleteTree);
        } catch (NoSuchFileException e) {
            // nothing was ever fetched on this host
        } catch (IOException e) {
            log.warn("cannot list {} for leftovers: {}", base, e.toString());
        }
    }

    private static boolean isLeftover(String name) {
        return name.chars().allMatch(Character::isDigit)
                && !name.isEmpty()
                && ProcessHandle.of(Long.parseLong(name)).isEmpty();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            log.warn("cannot delete leftover {}: {}", dir, e.toString());
        }
    }
}
