package io.animegan.video;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_query_codec;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avcodec;

/** An MP4 file being muxed from copied packets (no encoder), closed with try-with-resources. */
final class MediaOutput implements AutoCloseable {

    static {
        Ffmpeg.load();
    }

    private final Path path;
    private final AVFormatContext context = new AVFormatContext(null);
    private boolean headerWritten;
    private boolean finished;

    MediaOutput(Path path, String format) {
        this.path = path;
        int ret = avformat_alloc_output_context2(context, null, format, path.toString());
        if (ret < 0) {
            throw new IllegalStateException("cannot create " + format + " output: " + Ffmpeg.error(ret));
        }
    }

    /** A new stream with {@code source}'s codec parameters and time base. */
    AVStream copyStream(AVStream source) {
        int codec = source.codecpar().codec_id();
        if (avformat_query_codec(context.oformat(), codec, avcodec.FF_COMPLIANCE_NORMAL) != 1) {
            throw new IllegalStateException(Ffmpeg.string(avcodec_get_name(codec)) + " cannot be copied into "
                    + Ffmpeg.string(context.oformat().name()) + " without re-encoding");
        }
        AVStream stream = avformat_new_stream(context, null);
        int ret = avcodec_parameters_copy(stream.codecpar(), source.codecpar());
        if (ret < 0) {
            throw new IllegalStateException("cannot copy codec parameters: " + Ffmpeg.error(ret));
        }
        stream.codecpar().codec_tag(0);
        stream.time_base(source.time_base());
        return stream;
    }

    /** Opens the file and writes the header with {@code movflags} (e.g. {@code +faststart}). */
    void start(String movflags) {
        AVIOContext pb = new AVIOContext(null);
        int ret = avio_open(pb, path.toString(), AVIO_FLAG_WRITE);
        if (ret < 0) {
            throw new IllegalStateException("cannot write " + path + ": " + Ffmpeg.error(ret));
        }
        context.pb(pb);
        AVDictionary options = new AVDictionary(null);
        try {
            if (movflags != null) {
                av_dict_set(options, "movflags", movflags, 0);
            }
            ret = avformat_write_header(context, options);
        } finally {
            av_dict_free(options);
        }
        if (ret < 0) {
            throw new IllegalStateException("cannot write the header of " + path + ": " + Ffmpeg.error(ret));
        }
        headerWritten = true;
    }

    AVStream stream(int index) {
        return context.streams(index);
    }

    /** Writes {@code packet} (its timestamps already in the output stream's time base); takes its data. */
    void write(AVPacket packet) {
        int ret = av_interleaved_write_frame(context, packet);
        if (ret < 0) {
            throw new IllegalStateException("cannot write a packet to " + path + ": " + Ffmpeg.error(ret));
        }
    }

    void finish() {
        int ret = av_write_trailer(context);
        finished = true;
        if (ret < 0) {
            throw new IllegalStateException("cannot finish " + path + ": " + Ffmpeg.error(ret));
        }
    }

    @Override
    public void close() {
        if (headerWritten && !finished) {
            av_write_trailer(context);
        }
        if (context.pb() != null && !context.pb().isNull()) {
            avio_closep(context.pb());
        }
        avformat_free_context(context);
    }
}
