package io.animegan.common.metrics;

/** Whether a process should get traffic now, and why not. */
public record Readiness(boolean ready, String reason) {

    public static Readiness yes() {
        return new Readiness(true, "ready");
    }

    public static Readiness no(String reason) {
        return new Readiness(false, reason);
    }
}
