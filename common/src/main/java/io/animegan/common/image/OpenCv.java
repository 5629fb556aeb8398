package io.animegan.common.image;

/** Loads OpenCV's native library once per process (the openpnp jar carries it). */
public final class OpenCv {

  private static volatile boolean loaded;

  private OpenCv() {}

  public static void load() {
    if (!loaded) {
      synchronized (OpenCv.class) {
        if (!loaded) {
          nu.pattern.OpenCV.loadLocally();
          loaded = true;
        }
      }
    }
  }
}
