package io.animegan.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import io.animegan.common.image.MatScope;
import io.animegan.common.image.OpenCv;
import io.animegan.common.testing.TestAssets;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntPredicate;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** Writes the test clips with the same FFmpeg the library uses (FFmpegFrameRecorder). */
final class TestClips {

    static {
        OpenCv.load();
    }

    /** Draws frame {@code index} (upright) into {@code bgr}. */
    @FunctionalInterface
    interface Painter {
        void paint(int index, Mat bgr);
    }

    /** What to write. Defaults: 320x180, 25 fps, 100 frames, H.264 in MP4, no audio. */
    static final class Spec {
        int width = 320;
        int height = 180;
        double fps = 25;
        int frames = 100;
        String format = "mp4";
        String codecName = "libopenh264";
        int codecId = avcodec.AV_CODEC_ID_H264;
        boolean audio;
        IntPredicate beep = i -> false;
        int rotation;
        long[] timestampsMicros;
        double extraAudioSeconds;
        Painter painter = TestClips::movingPattern;
        int bitrate = 1_500_000;
        int bFrames = -1;
        int gop = -1;

        Spec size(int w, int h) {
            width = w;
            height = h;
            return this;
        }

        Spec fps(double f) {
            fps = f;
            return this;
        }

        Spec frames(int n) {
            frames = n;
            return this;
        }

        Spec codec(String container, String name, int id) {
            format = container;
            codecName = name;
            codecId = id;
            return this;
        }

        Spec audio(boolean a) {
            audio = a;
            return this;
        }

        Spec beep(IntPredicate b) {
            beep = b;
            audio = true;
            return this;
        }

        Spec rotation(int r) {
            rotation = r;
            return this;
        }

        Spec timestamps(long[] t) {
            timestampsMicros = t;
            frames = t.length;
            return this;
        }

        Spec extraAudio(double s) {
            extraAudioSeconds = s;
            return this;
        }

        Spec painter(Painter p) {
            painter = p;
            return this;
        }

        Spec bitrate(int b) {
            bitrate = b;
            return this;
        }

        Spec bFrames(int b) {
            bFrames = b;
            return this;
        }

        Spec gop(int g) {
            gop = g;
            return this;
        }
    }

    static final int SAMPLE_RATE = 48_000;

    private TestClips() {}

    static Path write(Path file, Spec spec) throws IOException {
        int codedW = spec.rotation % 180 == 0 ? spec.width : spec.height;
        int codedH = spec.rotation % 180 == 0 ? spec.height : spec.width;
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), codedW, codedH, spec.audio ? 1 : 0);
                MatScope scope = new MatScope()) {
            recorder.setFormat(spec.format);
            recorder.setVideoCodec(spec.codecId);
            if (spec.codecName != null) {
                recorder.setVideoCodecName(spec.codecName);
            }
            recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(spec.fps);
            recorder.setVideoBitrate(spec.bitrate);
            recorder.setGopSize(spec.gop > 0 ? spec.gop : (int) Math.round(spec.fps * 2));
            if (spec.bFrames >= 0) {
                recorder.setMaxBFrames(spec.bFrames);
            }
            if ("libaom-av1".equals(spec.codecName)) {
                recorder.setVideoOption("cpu-used", "8");
                recorder.setVideoOption("usage", "realtime");
            } else if ("libsvtav1".equals(spec.codecName)) {
                recorder.setVideoOption("preset", "12");
            } else if ("libvpx-vp9".equals(spec.codecName)) {
                recorder.setVideoOption("deadline", "realtime");
                recorder.setVideoOption("cpu-used", "8");
            }
            if (spec.rotation != 0) {
                // JavaCV (like FFmpeg's display matrix) counts counter-clockwise; spec.rotation is clockwise.
                recorder.setDisplayRotation(-spec.rotation);
            }
            if (spec.audio) {
                recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
                recorder.setSampleRate(SAMPLE_RATE);
                recorder.setAudioBitrate(128_000);
            }
            Ffmpeg.quiet();
            recorder.start();
            Mat upright = scope.own(new Mat(spec.height, spec.width, CvType.CV_8UC3));
            ByteBuffer pixels = ByteBuffer.allocateDirect(codedW * codedH * 3);
            Mat coded = scope.own(new Mat(codedH, codedW, CvType.CV_8UC3, pixels));
            long audioWritten = 0;
            for (int i = 0; i < spec.frames; i++) {
                upright.setTo(new Scalar(0, 0, 0));
                spec.painter.paint(i, upright);
                switch (spec.rotation) {
                    // Stored turned the other way, so a player turning it by `rotation` shows it upright.
                    case 90 -> Core.rotate(upright, coded, Core.ROTATE_90_COUNTERCLOCKWISE);
                    case 180 -> Core.rotate(upright, coded, Core.ROTATE_180);
                    case 270 -> Core.rotate(upright, coded, Core.ROTATE_90_CLOCKWISE);
                    default -> upright.copyTo(coded);
                }
                if (spec.timestampsMicros != null) {
                    recorder.setTimestamp(spec.timestampsMicros[i]);
                }
                recorder.recordImage(codedW, codedH, Frame.DEPTH_UBYTE, 3, codedW * 3, AV_PIX_FMT_BGR24, pixels);
                if (spec.audio) {
                    double end = spec.timestampsMicros != null && i + 1 < spec.frames
                            ? spec.timestampsMicros[i + 1] / 1e6
                            : (i + 1) / spec.fps;
                    long until = Math.round(end * SAMPLE_RATE);
                    audioWritten = writeAudio(recorder, audioWritten, until, spec.beep.test(i));
                }
            }
            if (spec.audio && spec.extraAudioSeconds > 0) {
                writeAudio(
                        recorder, audioWritten, audioWritten + Math.round(spec.extraAudioSeconds * SAMPLE_RATE), false);
            }
            recorder.stop();
        }
        return file;
    }

    /** Samples [from, until): a 1 kHz sine at -6 dB while {@code beep}, else near silence. */
    private static long writeAudio(FFmpegFrameRecorder recorder, long from, long until, boolean beep)
            throws IOException {
        int n = (int) (until - from);
        if (n <= 0) {
            return from;
        }
        short[] samples = new short[n];
        for (int k = 0; k < n; k++) {
            double t = (from + k) / (double) SAMPLE_RATE;
            samples[k] =
                    (short) (beep ? 16000 * Math.sin(2 * Math.PI * 1000 * t) : 30 * Math.sin(2 * Math.PI * 220 * t));
        }
        recorder.recordSamples(SAMPLE_RATE, 1, ShortBuffer.wrap(samples));
        return until;
    }

    /** Gradient, two moving discs, a moving bar and the frame's barcode. */
    static void movingPattern(int i, Mat bgr) {
        int w = bgr.cols();
        int h = bgr.rows();
        for (int band = 0; band < 8; band++) {
            Imgproc.rectangle(
                    bgr,
                    new Point(band * w / 8.0, 0),
                    new Point((band + 1) * w / 8.0, h),
                    new Scalar(30 + band * 25, 80 + (band * 40) % 120, 200 - band * 20),
                    -1);
        }
        Imgproc.circle(bgr, new Point((20 + i * 3) % w, h * 0.6), h / 6, new Scalar(20, 200, 240), -1);
        Imgproc.circle(bgr, new Point(w - (i * 2) % w, h * 0.35), h / 8, new Scalar(240, 60, 40), -1);
        Imgproc.rectangle(bgr, new Point(0, (i * 4) % h), new Point(w, (i * 4) % h + 6), new Scalar(250, 250, 250), -1);
        Barcode.draw(bgr, i);
    }

    /** A picture panned by {@code pxPerFrame} (sub-pixel, bilinear) from its left edge. */
    static Painter pan(Mat photo, double pxPerFrame, boolean barcode) {
        return (i, bgr) -> {
            Mat m = new Mat(2, 3, CvType.CV_64F);
            m.put(0, 0, 1, 0, -i * pxPerFrame, 0, 1, -i * pxPerFrame * 0.3);
            Imgproc.warpAffine(photo, bgr, m, bgr.size(), Imgproc.INTER_LINEAR, Core.BORDER_REFLECT_101);
            m.release();
            if (barcode) {
                Barcode.draw(bgr, i);
            }
        };
    }

    /** A sample photo scaled so its height is {@code height * 1.4}: room to pan. */
    static Mat photo(String name, int height) {
        Mat full = Imgcodecs.imread(TestAssets.requireSample(name).toString(), Imgcodecs.IMREAD_COLOR);
        Mat scaled = new Mat();
        double f = height * 1.4 / full.rows();
        Imgproc.resize(
                full,
                scaled,
                new Size(Math.round(full.cols() * f), Math.round(full.rows() * f)),
                0,
                0,
                Imgproc.INTER_AREA);
        full.release();
        return scaled;
    }

    /** Pan over {@code a} up to frame {@code cut}, then over {@code b}. */
    static Painter cut(Painter a, Painter b, int cut) {
        return (i, bgr) -> (i < cut ? a : b).paint(i, bgr);
    }

    /** The moving pattern in grey with frame {@code flash} all white. */
    static Painter flash(int flash) {
        return (i, bgr) -> {
            movingPattern(i, bgr);
            if (i == flash) {
                bgr.setTo(new Scalar(255, 255, 255));
                Barcode.draw(bgr, i);
            }
        };
    }

    /** Copies {@code source} and keeps only its first {@code fraction} of bytes. */
    static Path truncated(Path source, Path target, double fraction) throws IOException {
        byte[] bytes = Files.readAllBytes(source);
        Files.write(target, java.util.Arrays.copyOf(bytes, (int) (bytes.length * fraction)));
        return target;
    }

    /** Copies {@code source} with {@code length} bytes at {@code offset} overwritten by garbage. */
    static Path damaged(Path source, Path target, long offset, int length) throws IOException {
        Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (RandomAccessFile file = new RandomAccessFile(target.toFile(), "rw")) {
            byte[] garbage = new byte[length];
            new java.util.Random(7).nextBytes(garbage);
            file.seek(offset);
            file.write(garbage);
        }
        return target;
    }
}
