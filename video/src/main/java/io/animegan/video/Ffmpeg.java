package io.animegan.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;

/** Small helpers around the FFmpeg C API: loading, error text, rationals. */
final class Ffmpeg {

    static {
        Loader.load(org.bytedeco.ffmpeg.global.avformat.class);
        Loader.load(org.bytedeco.ffmpeg.global.swscale.class);
        av_log_set_level(AV_LOG_ERROR);
    }

    private Ffmpeg() {}

    /** Loads the native libraries and sets FFmpeg's log level (once). */
    static void load() {
        // The static initialiser does the work.
    }

    /** FFmpeg logs errors only (JavaCV's recorder would print every stream it opens). */
    static void quiet() {
        av_log_set_level(AV_LOG_ERROR);
    }

    /**
     * Runs {@code work} (opening or freeing a codec context, opening a demuxer) under the lock
     * JavaCV's recorder and grabber take for the same calls, on the {@code avcodec} class: a
     * stage opens codecs on several threads at once (a clip planned while a segment is drawn), and
     * without it the process's heap is corrupted.
     */
    static int codecs(java.util.function.IntSupplier work) {
        synchronized (org.bytedeco.ffmpeg.global.avcodec.class) {
            return work.getAsInt();
        }
    }

    static String error(int code) {
        byte[] buffer = new byte[256];
        av_strerror(code, buffer, buffer.length);
        int end = 0;
        while (end < buffer.length && buffer[end] != 0) {
            end++;
        }
        return new String(buffer, 0, end, StandardCharsets.UTF_8) + " (" + code + ")";
    }

    static Rational rational(AVRational r) {
        return r.den() <= 0 ? null : Rational.of(r.num(), r.den());
    }

    static AVRational av(Rational r) {
        return new AVRational().num((int) r.num()).den((int) r.den());
    }

    static String string(BytePointer p) {
        return p == null || p.isNull() ? null : p.getString();
    }
}
