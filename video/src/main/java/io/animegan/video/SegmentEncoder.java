package io.animegan.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Encodes one segment's output frames: H.264 (libopenh264, the LGPL build's encoder), yuv420p,
 * constant frame rate, no B-frames, one keyframe at the start, in MP4. Segments written with the
 * same size and rate carry the same codec parameters, so {@link Assembler} joins them by copying
 * packets. Frame {@code k} written gets presentation time {@code k / fps} from 0.
 *
 * <p>The frame goes to FFmpeg with one copy: into a reused direct buffer that FFmpeg reads.
 */
public final class SegmentEncoder implements AutoCloseable {

    /** Bits per pixel per frame: about 5.5 Mbit/s at 1280x720 30 fps, 0.35 Mbit/s at 320x180 25 fps. */
    static final double BITS_PER_PIXEL = 0.2;

    static final int MIN_BITRATE = 400_000;

    private final FFmpegFrameRecorder recorder;
    private final TrackedMats mats = new TrackedMats();
    private final ByteBuffer pixels;
    private final Mat staging;
    private final FrameSize size;
    private int written;

    public SegmentEncoder(Path file, FrameSize size, Rational frameRate, int segmentFrames) {
        this.size = size;
        this.pixels = ByteBuffer.allocateDirect(size.width() * size.height() * 3);
        this.staging = mats.own(new Mat(size.height(), size.width(), CvType.CV_8UC3, pixels));
        recorder = new FFmpegFrameRecorder(file.toFile(), size.width(), size.height(), 0);
        recorder.setFormat("mp4");
        recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
        recorder.setVideoCodecName("libopenh264");
        recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(frameRate.value());
        recorder.setVideoBitrate(bitrate(size, frameRate));
        // One keyframe at the segment's start; no later ones needed (segments are short).
        recorder.setGopSize(Math.max(1, segmentFrames));
        recorder.setMaxBFrames(0);
        recorder.setVideoOption("allow_skip_frames", "0");
        recorder.setVideoOption("profile", "high");
        // swscale converts BGR to YUV with BT.601 limited-range coefficients: say so in the stream, so
        // players (Chromium assumes BT.709 for untagged HD) show the colours that were drawn.
        recorder.setVideoOption("colorspace", "smpte170m");
        recorder.setVideoOption("color_primaries", "smpte170m");
        recorder.setVideoOption("color_trc", "smpte170m");
        recorder.setVideoOption("color_range", "tv");
        try {
            Ffmpeg.quiet();
            synchronized (org.bytedeco.ffmpeg.global.avcodec.class) {
                recorder.start();
            }
        } catch (FrameRecorder.Exception e) {
            mats.close();
            throw new IllegalStateException("cannot start the H.264 encoder for " + file + ": " + e.getMessage(), e);
        }
    }

    static int bitrate(FrameSize size, Rational fps) {
        return (int) Math.max(MIN_BITRATE, size.width() * (double) size.height() * fps.value() * BITS_PER_PIXEL);
    }

    /** Appends one upright BGR frame of the output size. */
    public void write(Mat bgr) {
        if (bgr.cols() != size.width() || bgr.rows() != size.height() || bgr.type() != CvType.CV_8UC3) {
            throw new IllegalArgumentException("frame " + bgr.cols() + "x" + bgr.rows() + " is not " + size + " BGR");
        }
        bgr.copyTo(staging);
        try {
            recorder.recordImage(
                    size.width(), size.height(), Frame.DEPTH_UBYTE, 3, size.width() * 3, AV_PIX_FMT_BGR24, pixels);
        } catch (FrameRecorder.Exception e) {
            throw new IllegalStateException("H.264 encoding failed at frame " + written + ": " + e.getMessage(), e);
        }
        written++;
    }

    public int written() {
        return written;
    }

    @Override
    public void close() {
        try {
            synchronized (org.bytedeco.ffmpeg.global.avcodec.class) {
                recorder.close();
            }
        } catch (FrameRecorder.Exception e) {
            throw new IllegalStateException("cannot finish the segment: " + e.getMessage(), e);
        } finally {
            mats.close();
        }
    }
}
