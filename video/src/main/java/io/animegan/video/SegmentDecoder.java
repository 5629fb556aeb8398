package io.animegan.video;

import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.swscale.SWS_ACCURATE_RND;
import static org.bytedeco.ffmpeg.global.swscale.SWS_AREA;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_DEFAULT;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_ITU709;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Decodes exactly one segment's frames (its warm-up frames first) from a probed clip: seeks to
 * the keyframe at or before the first needed frame, decodes forward, and hands on the frames the
 * plan asks for, matched by presentation timestamp (so B-frames and variable rates give the right
 * frames), upright and scaled to the output size.
 *
 * <p>Pixels take one conversion: FFmpeg's swscale converts and scales the decoded frame straight
 * into the memory of a reused OpenCV Mat (BGR24), which is then turned upright if the clip carries
 * a rotation. The decoder holds two frame buffers, whatever the segment's length.
 *
 * <p>Not thread-safe; one decoder per thread. Reusable for several segments of the same clip.
 */
public final class SegmentDecoder implements AutoCloseable {

    private final VideoInfo info;
    private final FrameSize size;
    private final MediaInput input;
    private final int videoIndex;
    private final StreamDecoder decoder;
    private final PacketHolder packets = new PacketHolder();
    private final TrackedMats mats = new TrackedMats();
    /**
     * The memory of {@link #scaled}, which swscale writes into. Held here because neither OpenCV's
     * Mat nor JavaCPP's pointer keeps the buffer reachable: once collected, both would point at
     * freed memory.
     */
    private final ByteBuffer pixels;
    /** swscale's output: the frame scaled, still as stored (before rotation). */
    private final Mat scaled;

    private final Mat upright;
    private final PointerPointer<BytePointer> scaledPlanes;
    private final IntPointer scaledStrides;
    private SwsContext sws;

    /** @param decoderThreads FFmpeg decoder threads (0: its choice; 1 leaves the other core to the stylizer) */
    public SegmentDecoder(Path file, VideoInfo info, FrameSize size, int decoderThreads) {
        this.info = info;
        this.size = size;
        this.input = MediaInput.openKnown(file);
        this.videoIndex = input.videoStream();
        this.decoder = new StreamDecoder(input.stream(videoIndex), decoderThreads);
        boolean turned = info.rotation() % 180 != 0;
        int storedW = turned ? size.height() : size.width();
        int storedH = turned ? size.width() : size.height();
        this.pixels = ByteBuffer.allocateDirect(storedW * storedH * 3);
        this.scaled = mats.own(new Mat(storedH, storedW, CvType.CV_8UC3, pixels));
        this.upright = info.rotation() == 0 ? scaled : mats.own(new Mat(size.height(), size.width(), CvType.CV_8UC3));
        this.scaledPlanes = new PointerPointer<BytePointer>(4).put(0, new BytePointer(pixels));
        this.scaledStrides = new IntPointer(storedW * 3, 0, 0, 0);
    }

    public SegmentDecoder(Path file, VideoInfo info, FrameSize size) {
        this(file, info, size, 0);
    }

    public FrameSize size() {
        return size;
    }

    /** Decodes {@code segment}'s warm-up and own frames into {@code sink}, in output order. */
    public void decode(SegmentPlan plan, Segment segment, FrameSink sink) {
        decode(plan, segment.warmUpStart(), segment.start(), segment.end(), sink);
    }

    /** Output frames {@code [from, end)}, those before {@code start} marked warm-up. */
    public void decode(SegmentPlan plan, int from, int start, int end, FrameSink sink) {
        FrameTimeline timeline = info.timeline();
        int next = from;
        seek(timeline.pts(plan.sourceFrame(from)));
        boolean retried = false;
        boolean draining = false;
        while (next < end) {
            if (decoder.receive()) {
                int source = sourceIndex(decoder.frame(), timeline);
                int wanted = plan.sourceFrame(next);
                if (source > wanted) {
                    // The seek landed after the frame we need (some demuxers' indexes are coarse): start over.
                    if (retried) {
                        throw new VideoException(
                                VideoError.CORRUPT_VIDEO, "frame " + wanted + " of the clip cannot be decoded");
                    }
                    retried = true;
                    draining = false;
                    seek(timeline.pts(0));
                    continue;
                }
                if (source == wanted) {
                    Mat bgr = convert(decoder.frame());
                    while (next < end && plan.sourceFrame(next) == source) {
                        sink.accept(next, next < start, bgr);
                        next++;
                    }
                }
                continue;
            }
            if (draining) {
                throw new VideoException(
                        VideoError.CORRUPT_VIDEO,
                        "the video ended before frame " + plan.sourceFrame(next) + " (output frame " + next + ")");
            }
            AVPacket packet = packets.packet();
            int ret = av_read_frame(input.context(), packet);
            if (ret == AVERROR_EOF) {
                decoder.send(null);
                draining = true;
                continue;
            }
            if (ret < 0) {
                throw new VideoException(VideoError.CORRUPT_VIDEO, "cannot read the clip: " + Ffmpeg.error(ret));
            }
            try {
                if (packet.stream_index() == videoIndex) {
                    // Every ready frame was taken above, so the decoder has room for the packet.
                    if (!decoder.send(packet)) {
                        throw new IllegalStateException("the decoder refused a packet with no frame waiting");
                    }
                }
            } finally {
                packets.unref();
            }
        }
    }

    private void seek(long pts) {
        int ret = av_seek_frame(input.context(), videoIndex, pts, AVSEEK_FLAG_BACKWARD);
        if (ret < 0) {
            throw new VideoException(VideoError.CORRUPT_VIDEO, "cannot seek in the clip: " + Ffmpeg.error(ret));
        }
        decoder.flush();
    }

    /** The source frame a decoded frame is, by its timestamp (nearest when the decoder rounded it). */
    private static int sourceIndex(AVFrame frame, FrameTimeline timeline) {
        long pts = frame.best_effort_timestamp();
        if (pts == AV_NOPTS_VALUE) {
            pts = frame.pts();
        }
        int exact = timeline.indexOf(pts);
        if (exact >= 0) {
            return exact;
        }
        int below =
                timeline.frameAt((pts - timeline.pts(0)) * timeline.timeBase().value());
        if (below + 1 < timeline.frameCount()
                && Math.abs(timeline.pts(below + 1) - pts) < Math.abs(timeline.pts(below) - pts)) {
            return below + 1;
        }
        return below;
    }

    /** The decoded frame, scaled and converted into {@link #scaled}, then upright. */
    private Mat convert(AVFrame frame) {
        boolean shrinking = (long) scaled.cols() * scaled.rows() < (long) frame.width() * frame.height();
        sws = sws_getCachedContext(
                sws,
                frame.width(),
                frame.height(),
                frame.format(),
                scaled.cols(),
                scaled.rows(),
                AV_PIX_FMT_BGR24,
                (shrinking ? SWS_AREA : SWS_BICUBIC) | SWS_ACCURATE_RND,
                null,
                null,
                (DoublePointer) null);
        if (sws == null || sws.isNull()) {
            throw new VideoException(VideoError.CORRUPT_VIDEO, "cannot convert pixel format " + frame.format());
        }
        IntPointer coefficients =
                sws_getCoefficients(frame.colorspace() == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_DEFAULT);
        sws_setColorspaceDetails(
                sws,
                coefficients,
                frame.color_range() == AVCOL_RANGE_JPEG ? 1 : 0,
                sws_getCoefficients(SWS_CS_DEFAULT),
                1,
                0,
                1 << 16,
                1 << 16);
        sws_scale(sws, frame.data(), frame.linesize(), 0, frame.height(), scaledPlanes, scaledStrides);
        switch (info.rotation()) {
            case 90 -> Core.rotate(scaled, upright, Core.ROTATE_90_CLOCKWISE);
            case 180 -> Core.rotate(scaled, upright, Core.ROTATE_180);
            case 270 -> Core.rotate(scaled, upright, Core.ROTATE_90_COUNTERCLOCKWISE);
            default -> {}
        }
        return upright;
    }

    @Override
    public void close() {
        sws_freeContext(sws);
        scaledPlanes.close();
        scaledStrides.close();
        mats.close();
        packets.close();
        decoder.close();
        input.close();
    }
}
