package io.animegan.video;

/**
 * A clip as the pipeline draws it: what the probe found, its segments and the output frame size.
 * The same clip, settings and options always give the same plan, so every stage that needs it
 * (planning, drawing a segment, assembly) makes it again from the clip rather than passing it on.
 */
public record ClipPlan(VideoInfo info, SegmentPlan plan, FrameSize size) {}
