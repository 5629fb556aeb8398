package io.animegan.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.animegan.common.metrics.ResidentMemory.Task;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class StageCpuTest {

    @Test
    void countsAThreadsCpuTimeToTheStageItsNameSays() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux /proc");
        StageCpu cpu = StageCpu.onThisThread();
        Map<Integer, Task> before = cpu.snapshot();
        CountDownLatch burnt = new CountDownLatch(1);
        CountDownLatch measured = new CountDownLatch(1);
        Thread busy = new Thread(
                () -> {
                    burnCpuMs(300);
                    burnt.countDown();
                    await(measured);
                },
                "animegan-stylize-stage-test-StreamThread-1");
        Thread idle = new Thread(() -> await(measured), "animegan-blend-stage-test-StreamThread-1");
        busy.start();
        idle.start();
        burnt.await();
        // Read while both still live: a thread that has ended is no longer in /proc.
        Map<String, Long> ms = cpu.between(before, cpu.snapshot());
        measured.countDown();
        busy.join();
        idle.join();

        assertThat(ms.get("stylize")).as("a busy stylize thread").isGreaterThanOrEqualTo(250);
        assertThat(ms.get("blend")).as("a waiting blend thread").isLessThan(50);
        assertThat(ms).containsOnlyKeys(StageCpu.GROUPS);
    }

    private static void burnCpuMs(long ms) {
        var threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        long x = 0;
        while (threads.getCurrentThreadCpuTime() - start < ms * 1_000_000) {
            x += System.nanoTime() % 7;
        }
        assertThat(x).isNotNegative();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
