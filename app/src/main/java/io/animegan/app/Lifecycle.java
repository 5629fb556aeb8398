package io.animegan.app;

import io.animegan.common.trace.Telemetry;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps a command running until Ctrl-C (or SIGTERM), then closes what it started. */
final class Lifecycle {

    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    private Lifecycle() {}

    static void runUntilStopped(AutoCloseable running) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                running.close();
                            } catch (Exception e) {
                                log.warn("error while stopping: {}", e.toString());
                            } finally {
                                Telemetry.shutdown(); // the spans of the last records, which closing has just ended
                                stopped.countDown();
                            }
                        },
                        "animegan-shutdown"));
        stopped.await();
    }
}
