package io.animegan.app;

import java.util.concurrent.CountDownLatch;

/** Keeps a command running until Ctrl-C (or SIGTERM), then closes what it started. */
final class Lifecycle {

  private Lifecycle() {}

  static void runUntilStopped(AutoCloseable running) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        running.close();
      } catch (Exception e) {
        System.err.println("error while stopping: " + e);
      } finally {
        stopped.countDown();
      }
    }, "animegan-shutdown"));
    stopped.await();
  }
}
