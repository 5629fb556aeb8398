package io.animegan.face.detect;

import java.util.Arrays;

/** Median wall time of a warm call, for the timings printed by the tests (never asserted). */
public final class WarmTiming {

  private WarmTiming() {}

  public static double medianMillis(Runnable call, int warmUps, int runs) {
    for (int i = 0; i < warmUps; i++) {
      call.run();
    }
    double[] millis = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      call.run();
      millis[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(millis);
    return millis[runs / 2];
  }
}
