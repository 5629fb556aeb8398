package io.animegan.video;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/** One stream's decoder (send packets, receive frames) with one reusable output frame. */
final class StreamDecoder implements AutoCloseable {

    private final AVCodecContext context;
    private final AVFrame frame = av_frame_alloc();

    /** @param threads decoder threads (0: FFmpeg's choice) */
    StreamDecoder(AVStream stream, int threads) {
        int codecId = stream.codecpar().codec_id();
        AVCodec codec = avcodec_find_decoder(codecId);
        if (codec == null || codec.isNull()) {
            av_frame_free(frame);
            throw new VideoException(
                    VideoError.CORRUPT_VIDEO, "no decoder for " + Ffmpeg.string(avcodec_get_name(codecId)));
        }
        context = avcodec_alloc_context3(codec);
        int ret = avcodec_parameters_to_context(context, stream.codecpar());
        if (ret >= 0) {
            context.pkt_timebase(stream.time_base());
            context.thread_count(threads);
            ret = Ffmpeg.codecs(() -> avcodec_open2(context, codec, (AVDictionary) null));
        }
        if (ret < 0) {
            close();
            throw new VideoException(VideoError.CORRUPT_VIDEO, "cannot open the decoder: " + Ffmpeg.error(ret));
        }
    }

    /** Sends one packet, or null to drain. Returns false when the decoder wants frames read first. */
    boolean send(AVPacket packet) {
        int ret = avcodec_send_packet(context, packet);
        if (ret == AVERROR_EAGAIN()) {
            return false;
        }
        if (ret < 0 && ret != AVERROR_EOF) {
            throw new VideoException(VideoError.CORRUPT_VIDEO, "cannot decode a packet: " + Ffmpeg.error(ret));
        }
        return true;
    }

    /** Reads the next decoded frame into {@link #frame()}; false when none is ready (or the end). */
    boolean receive() {
        av_frame_unref(frame);
        int ret = avcodec_receive_frame(context, frame);
        if (ret == AVERROR_EAGAIN() || ret == AVERROR_EOF) {
            return false;
        }
        if (ret < 0) {
            throw new VideoException(VideoError.CORRUPT_VIDEO, "cannot decode a frame: " + Ffmpeg.error(ret));
        }
        return true;
    }

    AVFrame frame() {
        return frame;
    }

    /** Forgets buffered frames (after a seek). */
    void flush() {
        avcodec_flush_buffers(context);
    }

    @Override
    public void close() {
        av_frame_free(frame);
        Ffmpeg.codecs(() -> {
            avcodec_free_context(context);
            return 0;
        });
    }
}
