package io.animegan.common.stage;

import io.animegan.events.Trace;
import java.util.HashMap;
import java.util.Map;

/** Adds a stage's processing time to an event's trace (traces are immutable once sent). */
public final class Traces {

    private Traces() {}

    public static Trace withStage(Trace trace, String stage, long millis) {
        Map<String, Long> stageMs = new HashMap<>(trace.getStageMs());
        stageMs.put(stage, millis);
        return new Trace(trace.getTraceId(), trace.getSubmittedAtMs(), stageMs);
    }
}
