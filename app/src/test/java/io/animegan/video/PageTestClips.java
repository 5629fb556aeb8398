package io.animegan.video;

import java.io.IOException;
import java.nio.file.Path;

/** The video module's {@link TestClips} for the app module's tests, which live in another package. */
public final class PageTestClips {

    private PageTestClips() {}

    /** The moving pattern as H.264 in MP4, with a quiet tone as AAC audio. */
    public static Path withSound(Path file, int width, int height, double fps, int frames) throws IOException {
        return TestClips.write(
                file,
                new TestClips.Spec().size(width, height).fps(fps).frames(frames).audio(true));
    }

    /** A copy of {@code source} cut to its first {@code fraction} of bytes. */
    public static Path truncated(Path source, Path target, double fraction) throws IOException {
        return TestClips.truncated(source, target, fraction);
    }
}
