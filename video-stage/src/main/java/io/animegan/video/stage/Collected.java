package io.animegan.video.stage;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What assembly knows of one clip: the segments drawn so far (index → frames), or that the clip
 * is closed (assembled, or failed somewhere), after which further segments are ignored, so a
 * replayed or duplicate SegmentDrawn never assembles a clip twice.
 *
 * <p>Stored as text: {@code 0:120,1:119} while collecting, {@code assembled} or {@code failed}.
 */
public record Collected(State state, SortedMap<Integer, Integer> frames) {

    public enum State {
        COLLECTING,
        ASSEMBLED,
        FAILED
    }

    public static final Collected NONE = new Collected(State.COLLECTING, new TreeMap<>());
    public static final Collected ASSEMBLED = new Collected(State.ASSEMBLED, new TreeMap<>());
    public static final Collected FAILED = new Collected(State.FAILED, new TreeMap<>());

    public Collected {
        frames = Collections.unmodifiableSortedMap(new TreeMap<>(frames));
    }

    public boolean closed() {
        return state != State.COLLECTING;
    }

    public Collected with(int index, int segmentFrames) {
        TreeMap<Integer, Integer> more = new TreeMap<>(frames);
        more.put(index, segmentFrames);
        return new Collected(State.COLLECTING, more);
    }

    /** Whether segments {@code 0 .. segments-1} are all in. */
    public boolean complete(int segments) {
        return frames.size() == segments && frames.firstKey() == 0 && frames.lastKey() == segments - 1;
    }

    public String encode() {
        return switch (state) {
            case ASSEMBLED -> "assembled";
            case FAILED -> "failed";
            case COLLECTING ->
                String.join(
                        ",",
                        frames.entrySet().stream()
                                .map(e -> e.getKey() + ":" + e.getValue())
                                .toList());
        };
    }

    /** @param text a stored value, or null for a clip not seen yet */
    public static Collected decode(String text) {
        if (text == null || text.isEmpty()) {
            return NONE;
        }
        if (text.equals("assembled")) {
            return ASSEMBLED;
        }
        if (text.equals("failed")) {
            return FAILED;
        }
        TreeMap<Integer, Integer> frames = new TreeMap<>();
        for (String entry : text.split(",")) {
            String[] parts = entry.split(":");
            frames.put(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }
        return new Collected(State.COLLECTING, frames);
    }

    @Override
    public String toString() {
        return encode();
    }
}
