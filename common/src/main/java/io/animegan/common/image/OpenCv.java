package io.animegan.common.image;

import nu.pattern.OpenCV;

/** Loads OpenCV's native library once per process (the openpnp jar carries it). */
public final class OpenCv {

    private static volatile boolean loaded;

    private OpenCv() {}

    public static void load() {
        if (!loaded) {
            synchronized (OpenCv.class) {
                if (!loaded) {
                    OpenCV.loadLocally();
                    loaded = true;
                }
            }
        }
    }
}
