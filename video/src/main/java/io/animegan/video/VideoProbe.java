package io.animegan.video;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_DISCARD;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.AVPROBE_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avformat.av_probe_input_format2;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVProbeData;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * Says what a clip is ({@link VideoInfo}) or why it is refused ({@link VideoException} with a
 * {@link VideoError}). It reads every packet of the file (not the pixels) to count the frames
 * exactly and collect their timestamps, and decodes the first frame to check the stream is
 * decodable. Cost: one pass over the file's bytes, a few ms per second of video.
 */
public final class VideoProbe {

    static {
        Ffmpeg.load();
    }

    private final VideoLimits limits;

    public VideoProbe(VideoLimits limits) {
        this.limits = limits;
    }

    public VideoProbe() {
        this(VideoLimits.DEFAULT);
    }

    public VideoInfo probe(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                throw new VideoException(VideoError.NOT_A_VIDEO, file.getFileName() + " is empty or not a file");
            }
        } catch (IOException e) {
            throw new VideoException(
                    VideoError.NOT_A_VIDEO, "cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
        MediaInput opened;
        try {
            opened = MediaInput.open(file);
        } catch (MediaInput.OpenException e) {
            String known = recognisedContainer(file);
            if (known != null) {
                throw new VideoException(
                        VideoError.CORRUPT_VIDEO, "a damaged or truncated " + known + " file: " + e.getMessage(), e);
            }
            throw new VideoException(VideoError.NOT_A_VIDEO, e.getMessage(), e);
        }
        try (MediaInput input = opened) {
            return probe(input);
        }
    }

    private VideoInfo probe(MediaInput input) {
        String container = Ffmpeg.string(input.context().iformat().name());
        if (isStillImage(container)) {
            throw new VideoException(VideoError.NOT_A_VIDEO, "a still image (" + container + "), not a video");
        }
        int videoIndex = input.videoStream();
        int audioIndex = input.audioStream();
        if (videoIndex < 0) {
            if (audioIndex >= 0) {
                throw new VideoException(
                        VideoError.NO_VIDEO_STREAM, container + " file without a video stream (audio only)");
            }
            if (input.context().nb_streams() == 0) {
                // MP4 writers leave out a track that got no samples: a recording of nothing.
                throw new VideoException(
                        VideoError.NO_FRAMES, container + " file without any track (nothing recorded)");
            }
            // A media container with neither video nor audio readable: its header is damaged.
            throw new VideoException(
                    VideoError.CORRUPT_VIDEO,
                    container + " file without a readable video or audio stream ("
                            + input.context().nb_streams() + " streams: " + streamTypes(input) + ")");
        }
        AVStream video = input.stream(videoIndex);
        AVCodecParameters par = video.codecpar();
        int width = par.width();
        int height = par.height();
        if (width <= 0 || height <= 0) {
            throw new VideoException(VideoError.CORRUPT_VIDEO, "video stream without a frame size");
        }
        if ((long) width * height > limits.maxPixels()) {
            throw new VideoException(
                    VideoError.TOO_LARGE, width + "x" + height + " is more than " + limits.maxPixels() + " pixels");
        }
        long headerDuration = input.context().duration();
        if (headerDuration != AV_NOPTS_VALUE && headerDuration > limits.maxDurationMicros() + 1_000_000) {
            throw new VideoException(
                    VideoError.TOO_LONG,
                    String.format(
                            "%.1f s is longer than %.1f s", headerDuration / 1e6, limits.maxDurationMicros() / 1e6));
        }
        Rational timeBase = Ffmpeg.rational(video.time_base());
        FrameTimeline timeline = readTimeline(input, videoIndex, timeBase);
        if (timeline.frameCount() == 0) {
            throw new VideoException(VideoError.NO_FRAMES, "the video stream has no frames");
        }
        long durationMicros = Math.round(timeline.durationSeconds() * 1e6);
        if (durationMicros > limits.maxDurationMicros()) {
            throw new VideoException(
                    VideoError.TOO_LONG,
                    String.format(
                            "%.1f s is longer than %.1f s", durationMicros / 1e6, limits.maxDurationMicros() / 1e6));
        }
        String audioCodec = audioIndex < 0
                ? null
                : Ffmpeg.string(
                        avcodec_get_name(input.stream(audioIndex).codecpar().codec_id()));
        return new VideoInfo(
                container,
                Ffmpeg.string(avcodec_get_name(par.codec_id())),
                width,
                height,
                rotation(video),
                frameRate(video, timeline),
                timeline.variable(),
                durationMicros,
                timeline.frameCount(),
                audioIndex >= 0,
                audioCodec,
                timeline);
    }

    /** Every packet of the video stream, counted, with its presentation timestamp. */
    private FrameTimeline readTimeline(MediaInput input, int videoIndex, Rational timeBase) {
        long[] pts = new long[1024];
        int count = 0;
        long lastPts = Long.MIN_VALUE;
        long lastDuration = 0;
        boolean decoded = false;
        try (PacketHolder holder = new PacketHolder();
                StreamDecoder decoder = new StreamDecoder(input.stream(videoIndex), 1)) {
            AVPacket packet = holder.packet();
            while (true) {
                int ret = av_read_frame(input.context(), packet);
                if (ret == AVERROR_EOF) {
                    if (count > 0 && !decoded) {
                        decoder.send(null);
                        decoded = decoder.receive();
                    }
                    break;
                }
                if (ret < 0) {
                    throw new VideoException(
                            VideoError.CORRUPT_VIDEO, "cannot read packet " + count + ": " + Ffmpeg.error(ret));
                }
                try {
                    if (packet.stream_index() != videoIndex || (packet.flags() & AV_PKT_FLAG_DISCARD) != 0) {
                        continue;
                    }
                    long t = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
                    if (t == AV_NOPTS_VALUE) {
                        t = count == 0 ? 0 : pts[count - 1] + Math.max(1, packet.duration());
                    }
                    if (count == pts.length) {
                        pts = Arrays.copyOf(pts, count * 2);
                    }
                    pts[count++] = t;
                    if (count > limits.maxFrames()) {
                        throw new VideoException(VideoError.TOO_LARGE, "more than " + limits.maxFrames() + " frames");
                    }
                    if (!decoded) {
                        // The first frame must decode: a damaged stream fails here, not in a stage later.
                        decoder.send(packet);
                        decoded = decoder.receive();
                    }
                    if (t >= lastPts) {
                        lastPts = t;
                        lastDuration = packet.duration();
                    }
                } finally {
                    holder.unref();
                }
            }
        }
        if (count > 0 && !decoded) {
            throw new VideoException(VideoError.CORRUPT_VIDEO, "no frame of the video stream decodes");
        }
        return new FrameTimeline(Arrays.copyOf(pts, count), timeBase, lastDuration);
    }

    /** The container's declared rate when it matches the timestamps, else the measured mean rate. */
    static Rational frameRate(AVStream video, FrameTimeline timeline) {
        Rational declared = Ffmpeg.rational(video.avg_frame_rate());
        if (declared == null || declared.num() <= 0) {
            declared = Ffmpeg.rational(video.r_frame_rate());
        }
        int n = timeline.frameCount();
        if (n < 2) {
            return declared != null && declared.num() > 0 ? declared : Rational.of(25, 1);
        }
        Rational tb = timeline.timeBase();
        long span = timeline.pts(n - 1) - timeline.pts(0);
        Rational measured = Rational.of((long) (n - 1) * tb.den(), span * tb.num());
        if (declared != null
                && declared.num() > 0
                && !timeline.variable()
                && Math.abs(declared.value() / measured.value() - 1) < 0.005) {
            return declared;
        }
        return measured;
    }

    /** Clockwise degrees to display the frame upright: display matrix first, else the rotate tag. */
    static int rotation(AVStream video) {
        AVCodecParameters par = video.codecpar();
        AVPacketSideData side = par.nb_coded_side_data() > 0
                ? av_packet_side_data_get(par.coded_side_data(), par.nb_coded_side_data(), AV_PKT_DATA_DISPLAYMATRIX)
                : null;
        double degrees = 0;
        if (side != null && !side.isNull() && side.size() >= 36) {
            // av_display_rotation_get is counter-clockwise; FFmpeg's autorotate turns by its negation.
            degrees = -av_display_rotation_get(new IntPointer(side.data()));
        } else {
            AVDictionaryEntry tag = av_dict_get(video.metadata(), "rotate", null, 0);
            if (tag != null && !tag.isNull()) {
                try {
                    degrees = Double.parseDouble(Ffmpeg.string(tag.value()));
                } catch (NumberFormatException e) {
                    degrees = 0;
                }
            }
        }
        if (Double.isNaN(degrees)) {
            return 0;
        }
        long quarter = Math.round(degrees / 90.0);
        return (int) Math.floorMod(quarter * 90, 360);
    }

    private static String streamTypes(MediaInput input) {
        StringBuilder types = new StringBuilder();
        for (int i = 0; i < input.context().nb_streams(); i++) {
            AVCodecParameters p = input.stream(i).codecpar();
            types.append(i == 0 ? "" : ", ")
                    .append(p.codec_type())
                    .append('/')
                    .append(Ffmpeg.string(avcodec_get_name(p.codec_id())));
        }
        return types.toString();
    }

    private static boolean isStillImage(String container) {
        return container == null
                || container.equals("image2")
                || container.endsWith("_pipe")
                || container.equals("tty");
    }

    /** The container FFmpeg sees in the file's first bytes (content only, not the name), or null. */
    private static String recognisedContainer(Path file) {
        byte[] head = new byte[4096];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return null;
        }
        try (BytePointer buffer = new BytePointer(read + AVPROBE_PADDING_SIZE);
                AVProbeData data = new AVProbeData();
                BytePointer name = new BytePointer("")) {
            buffer.put(head, 0, read);
            for (int i = read; i < read + AVPROBE_PADDING_SIZE; i++) {
                buffer.put(i, (byte) 0);
            }
            data.buf(buffer).buf_size(read).filename(name);
            int[] score = {0};
            AVInputFormat format = av_probe_input_format2(data, 1, score);
            if (format == null || format.isNull() || score[0] < 25) {
                return null;
            }
            String found = Ffmpeg.string(format.name());
            return isStillImage(found) ? null : found;
        }
    }
}
