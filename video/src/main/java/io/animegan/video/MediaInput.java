package io.animegan.video;

import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avformat;

/** An opened media file (FFmpeg demuxer context), closed with try-with-resources. */
final class MediaInput implements AutoCloseable {

    static {
        Ffmpeg.load();
    }

    private final Path path;
    private final AVFormatContext context;

    private MediaInput(Path path, AVFormatContext context) {
        this.path = path;
        this.context = context;
    }

    /**
     * Opens {@code path} and reads its stream information.
     *
     * @throws OpenException with FFmpeg's error code when it cannot
     */
    static MediaInput open(Path path) throws OpenException {
        AVFormatContext context = new AVFormatContext(null);
        int ret = Ffmpeg.codecs(() -> avformat_open_input(context, path.toString(), null, (AVDictionary) null));
        if (ret < 0) {
            throw new OpenException(ret, "cannot open " + path.getFileName() + ": " + Ffmpeg.error(ret));
        }
        MediaInput input = new MediaInput(path, context);
        ret = Ffmpeg.codecs(() -> avformat_find_stream_info(context, (AVDictionary) null));
        if (ret < 0) {
            input.close();
            throw new OpenException(ret, "cannot read the streams of " + path.getFileName() + ": " + Ffmpeg.error(ret));
        }
        return input;
    }

    /** Opens a file this library wrote or already probed: failures are CORRUPT_VIDEO. */
    static MediaInput openKnown(Path path) {
        try {
            return open(path);
        } catch (OpenException e) {
            throw new VideoException(VideoError.CORRUPT_VIDEO, e.getMessage(), e);
        }
    }

    AVFormatContext context() {
        return context;
    }

    Path path() {
        return path;
    }

    /** Index of the main video stream (cover art excluded), or -1. */
    int videoStream() {
        for (int i = 0; i < context.nb_streams(); i++) {
            AVStream stream = context.streams(i);
            if (stream.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO
                    && (stream.disposition() & avformat.AV_DISPOSITION_ATTACHED_PIC) == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first audio stream, or -1. */
    int audioStream() {
        for (int i = 0; i < context.nb_streams(); i++) {
            if (context.streams(i).codecpar().codec_type() == AVMEDIA_TYPE_AUDIO) {
                return i;
            }
        }
        return -1;
    }

    AVStream stream(int index) {
        return context.streams(index);
    }

    @Override
    public void close() {
        Ffmpeg.codecs(() -> {
            avformat_close_input(context);
            return 0;
        });
    }

    /** FFmpeg could not open a file. */
    static final class OpenException extends Exception {
        final int code;

        OpenException(int code, String message) {
            super(message);
            this.code = code;
        }
    }
}
