package io.animegan.video;

import java.lang.management.ManagementFactory;

/**
 * CPU time used so far by this whole process (every thread, ONNX Runtime's and OpenCV's native
 * ones included), in nanoseconds. On a machine shared with other work, a phase's CPU time says
 * what it costs better than its wall time does. The kernel counts it in clock ticks, so only sums
 * over many frames are meaningful.
 */
public final class ProcessCpu {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ProcessCpu() {}

    /** CPU time of this process so far, or 0 where the platform does not report it. */
    public static long nanos() {
        return Math.max(0, OS.getProcessCpuTime());
    }
}
