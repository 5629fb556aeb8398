package io.animegan.video;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;

import org.bytedeco.ffmpeg.avcodec.AVPacket;

/** One reusable {@link AVPacket}, freed with try-with-resources. */
final class PacketHolder implements AutoCloseable {

    private final AVPacket packet = av_packet_alloc();

    AVPacket packet() {
        return packet;
    }

    /** Drops the packet's data reference so it can be read into again. */
    void unref() {
        av_packet_unref(packet);
    }

    @Override
    public void close() {
        av_packet_free(packet);
    }
}
