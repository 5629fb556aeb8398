package io.animegan.tools.bench;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.MatScope;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * The video bench's own clip when none is given: a camera pan over a photo, 1280x720 at 30 fps,
 * H.264 in MP4 with a steady AAC tone, written with the FFmpeg the video library uses. The pan
 * eases back and forth (different periods across and down), so the clip has slow and fast motion
 * and its edges never run out of picture.
 */
final class PanClip {

    static final int WIDTH = 1280;
    static final int HEIGHT = 720;
    static final int FPS = 30;
    static final int SAMPLE_RATE = 48_000;
    /** Room to pan: the photo covers this many times the frame in both directions. */
    static final double COVER = 1.4;

    static final double PERIOD_ACROSS_SECONDS = 8;
    static final double PERIOD_DOWN_SECONDS = 11;

    private PanClip() {}

    /** Writes {@code seconds} of the pan over {@code photo} to {@code file}. */
    static Path write(Path photo, double seconds, Path file) throws IOException {
        int frames = (int) Math.round(seconds * FPS);
        av_log_set_level(AV_LOG_ERROR);
        try (MatScope scope = new MatScope();
                FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), WIDTH, HEIGHT, 1)) {
            Mat picture = scope.own(scaled(scope.own(ImageCodec.decode(Files.readAllBytes(photo)))));
            recorder.setFormat("mp4");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            recorder.setVideoCodecName("libopenh264");
            recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
            recorder.setFrameRate(FPS);
            recorder.setVideoBitrate(8_000_000);
            recorder.setGopSize(2 * FPS);
            recorder.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            recorder.setSampleRate(SAMPLE_RATE);
            recorder.setAudioBitrate(128_000);
            recorder.start();
            ByteBuffer pixels = ByteBuffer.allocateDirect(WIDTH * HEIGHT * 3);
            Mat frame = scope.own(new Mat(HEIGHT, WIDTH, CvType.CV_8UC3, pixels));
            Mat shift = scope.own(new Mat(2, 3, CvType.CV_64F));
            double roomX = picture.cols() - WIDTH;
            double roomY = picture.rows() - HEIGHT;
            for (int i = 0; i < frames; i++) {
                double t = i / (double) FPS;
                double x = roomX / 2 * (1 - Math.cos(2 * Math.PI * t / PERIOD_ACROSS_SECONDS));
                double y = roomY / 2 * (1 - Math.cos(2 * Math.PI * t / PERIOD_DOWN_SECONDS));
                shift.put(0, 0, 1, 0, -x, 0, 1, -y);
                Imgproc.warpAffine(picture, frame, shift, frame.size(), Imgproc.INTER_LINEAR, Core.BORDER_REFLECT_101);
                recorder.recordImage(WIDTH, HEIGHT, Frame.DEPTH_UBYTE, 3, WIDTH * 3, AV_PIX_FMT_BGR24, pixels);
                recorder.recordSamples(SAMPLE_RATE, 1, tone(i));
            }
            recorder.stop();
        }
        return file;
    }

    /** The photo scaled (up or down) to cover the frame {@link #COVER} times in both directions. */
    private static Mat scaled(Mat photo) {
        double f = Math.max(COVER * WIDTH / photo.cols(), COVER * HEIGHT / photo.rows());
        Mat out = new Mat();
        Imgproc.resize(
                photo,
                out,
                new Size(Math.round(photo.cols() * f), Math.round(photo.rows() * f)),
                0,
                0,
                f < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_CUBIC);
        return out;
    }

    /** Frame {@code i}'s share of a 440 Hz tone at -12 dB. */
    private static ShortBuffer tone(int i) {
        long from = (long) i * SAMPLE_RATE / FPS;
        long until = (long) (i + 1) * SAMPLE_RATE / FPS;
        short[] samples = new short[(int) (until - from)];
        for (int k = 0; k < samples.length; k++) {
            samples[k] = (short) (8000 * Math.sin(2 * Math.PI * 440 * (from + k) / SAMPLE_RATE));
        }
        return ShortBuffer.wrap(samples);
    }
}
