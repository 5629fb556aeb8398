package io.animegan.tools.soak;

import com.fasterxml.jackson.databind.JsonNode;
import io.animegan.client.AnimeganClient;
import io.animegan.common.metrics.ResidentMemory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * A memory soak over the public API: keeps a few pictures in flight through a running service and
 * samples this process's resident memory after a warm-up and then every few pictures. Meant for a
 * service running in the same JVM (the embedded system), where VmRSS covers everything: Java heap,
 * OpenCV Mats and ONNX Runtime's native buffers, which the heap figures alone never show.
 */
final class Soak {

    /**
     * @param count pictures to send in all
     * @param warmUp pictures finished before the first sample (caches, JIT, arenas fill up)
     * @param every pictures between samples
     * @param inFlight pictures submitted but not yet finished at any time
     */
    record Settings(int count, int maxSide, int warmUp, int every, int inFlight) {
        Settings {
            if (count < 1 || warmUp < 0 || every < 1 || inFlight < 1 || warmUp > count) {
                throw new IllegalArgumentException(
                        "need count >= 1, 0 <= warm-up <= count, every >= 1, in-flight >= 1");
            }
        }
    }

    /** A photo to send, cycled through. */
    record Photo(String name, byte[] bytes) {}

    /**
     * Memory after {@code pictures} finished pictures, in MB.
     *
     * @param heapAfterGc Java heap in use right after a full collection: what the JVM truly keeps
     * @param heapCommitted heap the JVM holds from the OS (part of the RSS)
     */
    record Sample(int pictures, double seconds, double rss, double heapAfterGc, double heapCommitted) {
        /** Resident memory that is not Java heap: native code, Mats, ONNX Runtime, thread stacks, metaspace. */
        double nonHeap() {
            return rss - heapCommitted;
        }
    }

    /** Slopes are MB per 100 pictures, least squares over the samples after the warm-up. */
    record Report(
            Settings settings,
            List<Sample> samples,
            int failed,
            List<String> failures,
            double rssSlope,
            double heapSlope,
            double nonHeapSlope) {}

    private final AnimeganClient client;
    private final List<Photo> photos;
    private final Settings settings;

    Soak(AnimeganClient client, List<Photo> photos, Settings settings) {
        if (photos.isEmpty()) {
            throw new IllegalArgumentException("no photos to send");
        }
        this.client = client;
        this.photos = photos;
        this.settings = settings;
    }

    Report run(Consumer<Sample> onSample) throws IOException, InterruptedException {
        Map<String, String> fields =
                Map.of("maxSide", String.valueOf(settings.maxSide()), "faces", "true", "format", "png");
        Deque<String> pending = new ArrayDeque<>();
        List<Sample> samples = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        int submitted = 0;
        int finished = 0;
        while (finished < settings.count()) {
            while (submitted < settings.count() && pending.size() < settings.inFlight()) {
                Photo photo = photos.get(submitted % photos.size());
                pending.add(AnimeganClient.imageId(client.upload(photo.name(), photo.bytes(), fields)));
                submitted++;
            }
            // The oldest picture finishes first in a pipeline of ordered stages: waiting on it is enough.
            String id = pending.poll();
            JsonNode status = client.awaitFinished(id, Duration.ofMinutes(5));
            finished++;
            if (!"done".equals(status.path("status").asText())) {
                failures.add(id + ": " + status.path("error").asText());
            }
            if (finished >= settings.warmUp() && (finished - settings.warmUp()) % settings.every() == 0
                    || finished == settings.count()) {
                Sample sample = sample(finished, (System.nanoTime() - start) / 1e9);
                samples.add(sample);
                onSample.accept(sample);
            }
        }
        return new Report(
                settings,
                samples,
                failures.size(),
                failures,
                slope(samples, Sample::rss),
                slope(samples, Sample::heapAfterGc),
                slope(samples, Sample::nonHeap));
    }

    /**
     * After a collection and the finalizers it queued: a Mat nobody released is freed only by its
     * finalizer, so what remains after both is memory something still holds.
     */
    private static Sample sample(int pictures, double seconds) throws IOException {
        System.gc();
        System.runFinalization();
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new Sample(pictures, seconds, residentMegabytes(), heap.getUsed() / 1e6, heap.getCommitted() / 1e6);
    }

    /** VmRSS of this process in MB (NaN where there is no /proc). */
    static double residentMegabytes() {
        return ResidentMemory.readBytes(ResidentMemory.RSS) / 1024 / 1e3;
    }

    /** Least-squares slope in MB per 100 pictures; NaN with fewer than two samples. */
    static double slope(List<Sample> samples, ToDoubleFunction<Sample> value) {
        int n = samples.size();
        if (n < 2) {
            return Double.NaN;
        }
        double meanX = samples.stream().mapToDouble(Sample::pictures).average().orElseThrow();
        double meanY = samples.stream().mapToDouble(value).average().orElseThrow();
        double covariance = 0;
        double variance = 0;
        for (Sample s : samples) {
            double dx = s.pictures() - meanX;
            covariance += dx * (value.applyAsDouble(s) - meanY);
            variance += dx * dx;
        }
        return variance == 0 ? Double.NaN : 100 * covariance / variance;
    }
}
