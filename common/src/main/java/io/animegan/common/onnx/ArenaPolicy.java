package io.animegan.common.onnx;

/**
 * What a session's CPU arena does with the buffers a call took once the call ends. A generator's
 * arena grows to what its largest picture needed, about a gigabyte, and the arenas of several
 * generators add up in one process; taking the buffers from the system afresh costs a page fault
 * per page touched, which a lone picture waits for.
 */
public enum ArenaPolicy {
    /** Keeps them for the next call, for good. */
    KEEP,
    /** Gives them back after every call: the least memory, at that cost on every call. */
    SHRINK,
    /**
     * Keeps them while the session is in use and gives them back once it has had no call for
     * {@link OnnxModel#IDLE_RELEASE_SECONDS}: a busy model pays nothing, an idle one holds nothing.
     */
    RELEASE_WHEN_IDLE
}
