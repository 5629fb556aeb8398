package io.animegan.video;

import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Every packet of a file's first audio (or video) stream: bytes and timestamps, for comparisons. */
record StreamPackets(Rational timeBase, List<Packet> packets) {

    record Packet(long pts, long dts, long duration, byte[] data) {}

    static StreamPackets audio(Path file) {
        return read(file, true);
    }

    static StreamPackets video(Path file) {
        return read(file, false);
    }

    private static StreamPackets read(Path file, boolean audio) {
        try (MediaInput input = MediaInput.openKnown(file);
                PacketHolder holder = new PacketHolder()) {
            int index = audio ? input.audioStream() : input.videoStream();
            if (index < 0) {
                return new StreamPackets(null, List.of());
            }
            List<Packet> packets = new ArrayList<>();
            while (av_read_frame(input.context(), holder.packet()) != AVERROR_EOF) {
                var p = holder.packet();
                if (p.stream_index() == index) {
                    byte[] data = new byte[p.size()];
                    p.data().get(data);
                    packets.add(new Packet(p.pts(), p.dts(), p.duration(), data));
                }
                holder.unref();
            }
            return new StreamPackets(Ffmpeg.rational(input.stream(index).time_base()), packets);
        }
    }

    /** Time of the first packet and of the end of the last one, in seconds. */
    double startSeconds() {
        return packets.get(0).pts() * timeBase.value();
    }

    double endSeconds() {
        Packet last = packets.get(packets.size() - 1);
        return (last.pts() + last.duration()) * timeBase.value();
    }
}
