/**
 * Video clips as a library, without Kafka: {@link io.animegan.video.VideoProbe} says what a clip is,
 * {@link io.animegan.video.SegmentPlanner} cuts it into segments of about four seconds,
 * {@link io.animegan.video.SegmentDecoder} and {@link io.animegan.video.SegmentEncoder} read and
 * write one segment's frames, {@link io.animegan.video.TemporalFilter} keeps stylized frames steady,
 * and {@link io.animegan.video.Assembler} joins the segments and copies the original audio.
 */
package io.animegan.video;
