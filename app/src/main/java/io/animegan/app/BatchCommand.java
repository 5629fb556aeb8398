package io.animegan.app;

import io.animegan.app.batch.BatchLocation;
import io.animegan.app.batch.BatchRun;
import io.animegan.common.config.StorageConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Converts a folder or S3 prefix of photos and clips as jobs of a running service, with a progress bar, and
 * resumes where an interrupted run stopped (see {@link BatchRun}).
 */
@Command(
        name = "batch",
        mixinStandardHelpOptions = true,
        description = {
            "Converts every photo and clip (.mp4, .mov, .m4v, .mkv, .webm; each becomes <name>.anime.mp4) of a folder "
                    + "or s3://bucket/prefix through a running service into a folder or s3://bucket/prefix, as jobs. "
                    + "A rerun skips files already converted with the same options.",
            "Exit code 0: every file converted; 1: some file failed or was refused (listed on stderr); 2: error."
        })
final class BatchCommand implements Callable<Integer> {

    @Parameters(
            index = "0",
            paramLabel = "INPUT",
            description = "Folder or s3://bucket/prefix of photos and clips (an S3 input must "
                    + "be in the service's bucket: the service reads it there, photos only; its clips are refused)")
    String input;

    @Option(
            names = {"-o", "--out"},
            required = true,
            paramLabel = "OUTPUT",
            defaultValue = "${env:ANIMEGAN_BATCH_OUT}",
            description = "Folder or s3://bucket/prefix for the results and the resume manifest (.animegan-batch.json; "
                    + "env ANIMEGAN_BATCH_OUT)")
    String out;

    @Mixin
    ClientOptions request;

    @Option(
            names = "--files-per-job",
            defaultValue = "${env:ANIMEGAN_FILES_PER_JOB:-20}",
            description = "Most files sent in one request, at most the service's files-per-request limit; a larger "
                    + "batch becomes several jobs (env ANIMEGAN_FILES_PER_JOB). Default: ${DEFAULT-VALUE}")
    int filesPerJob;

    @Option(
            names = "--retry-failed",
            defaultValue = "${env:ANIMEGAN_RETRY_FAILED:-false}",
            description = "Send files that failed in an earlier run again (env ANIMEGAN_RETRY_FAILED=true)")
    boolean retryFailed;

    /** For s3:// input or output. */
    @Mixin
    S3Options s3;

    @Override
    public Integer call() throws Exception {
        BatchRun.Report report;
        try (ProgressBar bar = new ProgressBar("anime", 1)) {
            report = newRun(new BarProgress(bar)).run();
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            // Exit code 1 means "some photo failed"; a batch that cannot run at all says so with 2.
            System.err.println("batch stopped: " + e.getMessage());
            return 2;
        }
        report.problems().forEach(System.err::println);
        System.out.printf(
                "%d of %d files converted into %s (%d now, %d by an earlier run); jobs %s%n",
                report.converted() + report.skipped(),
                report.photos(),
                out,
                report.converted(),
                report.skipped(),
                report.jobs());
        return report.exitCode();
    }

    BatchRun newRun(BatchRun.Progress progress) {
        String s3Side = input.startsWith("s3://") ? input : out.startsWith("s3://") ? out : null;
        // The bucket of each side comes from its s3:// address; the config names the first for completeness.
        StorageConfig storage = s3Side == null
                ? null
                : s3.toConfig(s3Side.substring("s3://".length()).split("/", 2)[0]);
        return new BatchRun(
                request.client(),
                BatchLocation.of(input, storage),
                BatchLocation.of(out, storage),
                new BatchRun.Settings(options(), filesPerJob, Duration.ofMillis(500), retryFailed),
                progress);
    }

    Map<String, String> options() {
        return request.fields();
    }

    /** Steps the bar as photos finish; the bar's own ETA is shown with the service's estimate beside it. */
    private record BarProgress(ProgressBar bar) implements BatchRun.Progress {
        @Override
        public void total(int photos) {
            bar.maxHint(photos);
        }

        @Override
        public void finished(String name, boolean converted, Long etaSeconds) {
            bar.step();
            if (etaSeconds != null) {
                bar.setExtraMessage("service ETA " + etaSeconds + " s");
            }
        }
    }
}
