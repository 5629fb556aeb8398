package io.animegan.video;

import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_compare_ts;
import static org.bytedeco.ffmpeg.global.avutil.av_rescale_q;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Joins finished segments into the output MP4 without re-encoding, and copies the original's
 * audio into it.
 *
 * <ul>
 *   <li>Video: each segment's packets copied as they are, timestamps rebased: output frame
 *       {@code j} is shown at the source's first frame time plus {@code j / fps}, so the video
 *       keeps its place against the audio.
 *   <li>Audio: the original's first audio stream copied packet for packet (same bytes, same
 *       timestamps, same time base); all of it, also when it outlasts the video. No audio in, no
 *       audio out.
 *   <li>Packets of both interleaved by time as they are read, so memory stays flat; {@code
 *       movflags=+faststart} moves the index to the front so browsers play it while it loads.
 * </ul>
 */
public final class Assembler {

    static {
        Ffmpeg.load();
    }

    /** Writes {@code output} from {@code segments} (one file per plan segment, in order) and {@code original}'s audio. */
    public void assemble(SegmentPlan plan, List<Path> segments, Path original, Path output) {
        if (segments.size() != plan.segments().size()) {
            throw new IllegalArgumentException(
                    segments.size() + " segment files for " + plan.segments().size() + " segments");
        }
        try (MediaInput source = MediaInput.openKnown(original);
                MediaInput first = MediaInput.openKnown(segments.get(0));
                MediaOutput out = new MediaOutput(output, "mp4");
                PacketHolder videoPacket = new PacketHolder();
                PacketHolder audioPacket = new PacketHolder()) {
            AVStream videoTemplate = first.stream(first.videoStream());
            AVStream outVideo = out.copyStream(videoTemplate);
            // Fine enough for the source's start time and exact for the frame grid: 1/100 of a frame.
            outVideo.time_base(Ffmpeg.av(
                    Rational.of(plan.frameRate().den(), plan.frameRate().num() * 100)));
            int audioIndex = source.audioStream();
            AVStream outAudio = audioIndex < 0 ? null : out.copyStream(source.stream(audioIndex));
            out.start("+faststart");
            // The muxer may have changed the time bases: read them back.
            AVRational videoTb = outVideo.time_base();
            AVRational audioTb = outAudio == null ? null : outAudio.time_base();
            AVRational frameTb = Ffmpeg.av(plan.frameRate().invert());
            long videoOrigin = av_rescale_q(plan.startPts(), Ffmpeg.av(plan.timeBase()), videoTb);

            VideoPackets video = new VideoPackets(
                    plan, segments, videoTemplate.codecpar(), videoPacket.packet(), videoTb, frameTb, videoOrigin);
            try (video) {
                AVPacket audio = audioIndex < 0 ? null : nextAudio(source, audioIndex, audioPacket.packet());
                boolean haveVideo = video.next();
                while (haveVideo || audio != null) {
                    boolean takeVideo = audio == null
                            || haveVideo
                                    && av_compare_ts(
                                                    video.packet().dts(),
                                                    videoTb,
                                                    audio.dts() == AV_NOPTS_VALUE ? audio.pts() : audio.dts(),
                                                    audioTb)
                                            <= 0;
                    if (takeVideo) {
                        video.packet().stream_index(outVideo.index());
                        out.write(video.packet());
                        haveVideo = video.next();
                    } else {
                        audio.stream_index(outAudio.index());
                        // Same time base as the source stream unless the muxer changed it; then rescaled.
                        org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts(
                                audio, source.stream(audioIndex).time_base(), audioTb);
                        audio.pos(-1);
                        out.write(audio);
                        audio = nextAudio(source, audioIndex, audioPacket.packet());
                    }
                }
            }
            out.finish();
        }
    }

    /** The next packet of the audio stream, or null at the end. */
    private static AVPacket nextAudio(MediaInput source, int audioIndex, AVPacket packet) {
        while (true) {
            int ret = av_read_frame(source.context(), packet);
            if (ret == AVERROR_EOF) {
                return null;
            }
            if (ret < 0) {
                throw new VideoException(
                        VideoError.CORRUPT_VIDEO, "cannot read the original's audio: " + Ffmpeg.error(ret));
            }
            if (packet.stream_index() == audioIndex) {
                return packet;
            }
            org.bytedeco.ffmpeg.global.avcodec.av_packet_unref(packet);
        }
    }

    /** The video packets of all segments in order, timestamps rebased onto the output's timeline. */
    private static final class VideoPackets implements AutoCloseable {
        private final SegmentPlan plan;
        private final List<Path> files;
        private final AVCodecParameters template;
        private final AVPacket packet;
        private final AVRational outTb;
        private final AVRational frameTb;
        private final long origin;
        private int segment = -1;
        private MediaInput input;
        private int stream;
        private long firstPts;
        private long offset;
        private int count;

        VideoPackets(
                SegmentPlan plan,
                List<Path> files,
                AVCodecParameters template,
                AVPacket packet,
                AVRational outTb,
                AVRational frameTb,
                long origin) {
            this.plan = plan;
            this.files = files;
            this.template = template;
            this.packet = packet;
            this.outTb = outTb;
            this.frameTb = frameTb;
            this.origin = origin;
        }

        AVPacket packet() {
            return packet;
        }

        /** Reads the next packet into {@link #packet()}; false after the last segment's last one. */
        boolean next() {
            while (true) {
                if (input == null && !openNext()) {
                    return false;
                }
                int ret = av_read_frame(input.context(), packet);
                if (ret == AVERROR_EOF) {
                    checkCount();
                    input.close();
                    input = null;
                    continue;
                }
                if (ret < 0) {
                    throw new IllegalStateException("cannot read segment " + segment + ": " + Ffmpeg.error(ret));
                }
                if (packet.stream_index() != stream) {
                    org.bytedeco.ffmpeg.global.avcodec.av_packet_unref(packet);
                    continue;
                }
                AVRational inTb = input.stream(stream).time_base();
                if (count == 0) {
                    firstPts = packet.pts();
                }
                count++;
                packet.pts(av_rescale_q(packet.pts() - firstPts, inTb, outTb) + offset);
                packet.dts(av_rescale_q(packet.dts() - firstPts, inTb, outTb) + offset);
                packet.duration(av_rescale_q(packet.duration(), inTb, outTb));
                packet.pos(-1);
                return true;
            }
        }

        private boolean openNext() {
            if (segment + 1 >= files.size()) {
                return false;
            }
            segment++;
            input = MediaInput.openKnown(files.get(segment));
            stream = input.videoStream();
            AVCodecParameters par = input.stream(stream).codecpar();
            if (par.codec_id() != template.codec_id()
                    || par.width() != template.width()
                    || par.height() != template.height()
                    || !Arrays.equals(extradata(par), extradata(template))) {
                throw new IllegalStateException(
                        "segment " + segment + " was encoded with other parameters than segment 0:"
                                + " it cannot be joined without re-encoding");
            }
            offset = origin + av_rescale_q(plan.segment(segment).start(), frameTb, outTb);
            count = 0;
            return true;
        }

        private void checkCount() {
            int expected = plan.segment(segment).frameCount();
            if (count != expected) {
                throw new IllegalStateException(
                        "segment " + segment + " has " + count + " frames, the plan " + expected);
            }
        }

        private static byte[] extradata(AVCodecParameters par) {
            byte[] bytes = new byte[Math.max(0, par.extradata_size())];
            if (bytes.length > 0) {
                par.extradata().get(bytes);
            }
            return bytes;
        }

        @Override
        public void close() {
            if (input != null) {
                input.close();
            }
        }
    }
}
