package io.animegan.video;

import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/** Decodes a file's audio to find when a loud sound starts. */
final class AudioLevels {

    private AudioLevels() {}

    /** Time in seconds of the first sample louder than a quarter of full scale, or -1. */
    static double loudestOnset(Path file) {
        try (MediaInput input = MediaInput.openKnown(file);
                PacketHolder holder = new PacketHolder()) {
            int index = input.audioStream();
            Rational tb = Ffmpeg.rational(input.stream(index).time_base());
            try (StreamDecoder decoder = new StreamDecoder(input.stream(index), 1)) {
                boolean eof = false;
                while (true) {
                    while (decoder.receive()) {
                        double t = onset(decoder.frame(), tb);
                        if (t >= 0) {
                            return t;
                        }
                    }
                    if (eof) {
                        return -1;
                    }
                    if (av_read_frame(input.context(), holder.packet()) == AVERROR_EOF) {
                        decoder.send(null);
                        eof = true;
                        continue;
                    }
                    if (holder.packet().stream_index() == index) {
                        decoder.send(holder.packet());
                    }
                    holder.unref();
                }
            }
        }
    }

    private static double onset(AVFrame frame, Rational tb) {
        if (frame.format() != AV_SAMPLE_FMT_FLTP) {
            throw new IllegalStateException("expected planar float audio, got format " + frame.format());
        }
        FloatBuffer samples = frame.data(0)
                .capacity((long) frame.nb_samples() * 4)
                .asByteBuffer()
                .order(java.nio.ByteOrder.nativeOrder())
                .asFloatBuffer();
        for (int i = 0; i < frame.nb_samples(); i++) {
            if (Math.abs(samples.get(i)) > 0.25f) {
                return frame.best_effort_timestamp() * tb.value() + i / (double) frame.sample_rate();
            }
        }
        return -1;
    }
}
