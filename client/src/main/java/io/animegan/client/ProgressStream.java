package io.animegan.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

/**
 * One open event stream, the service's push channel for progress: {@code GET /api/events?ids=...}
 * for images, whose {@code status} events carry each image's view, or {@code GET
 * /api/videos/{id}/events} for a clip, whose {@code video} events carry its status. This passes on
 * the ids whose view says done or failed, and says when the stream ended (the service ends streams
 * after their maximum lifetime) or broke (refused, unreachable, or silent for longer than the
 * heartbeats allow).
 */
final class ProgressStream implements AutoCloseable {

    /** The most ids one stream may follow (the service refuses more). */
    static final int MAX_IDS = 100;
    /** The service sends a heartbeat every few seconds, so a longer silence means a dead connection. */
    private static final Duration SILENCE = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * OkHttp's default dispatcher threads are not daemons and idle for a minute, which would keep an
     * integrator's program alive that long after its main method returns.
     */
    private static final OkHttpClient HTTP = new OkHttpClient.Builder()
            .dispatcher(new Dispatcher(Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "animegan-client-events");
                thread.setDaemon(true);
                return thread;
            })))
            .connectTimeout(Duration.ofSeconds(10))
            .readTimeout(SILENCE)
            .build();

    /** What the stream said: an image or clip finished, the stream ended, or it broke. */
    sealed interface Signal {}

    record Finished(String id) implements Signal {}

    record Ended() implements Signal {}

    record Broken(String why) implements Signal {}

    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    private final String event;
    private final EventSource source;

    /** @param event the name of the events that carry a view */
    private ProgressStream(Request request, String event) {
        this.event = event;
        this.source = EventSources.createFactory(HTTP).newEventSource(request, new Listener());
    }

    /**
     * Follows images.
     *
     * @param token API token sent as {@code Authorization: Bearer}, or null
     */
    static ProgressStream open(String base, String token, Collection<String> ids) {
        HttpUrl url = HttpUrl.get(base + "/api/events")
                .newBuilder()
                .addQueryParameter("ids", String.join(",", ids))
                .build();
        return new ProgressStream(request(url, token), "status");
    }

    /** Follows one clip, as {@link #open} follows images. */
    static ProgressStream openVideo(String base, String token, String id) {
        HttpUrl url = HttpUrl.get(base + "/api/videos")
                .newBuilder()
                .addPathSegment(id)
                .addPathSegment("events")
                .build();
        return new ProgressStream(request(url, token), "video");
    }

    private static Request request(HttpUrl url, String token) {
        Request.Builder request = new Request.Builder().url(url).header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    /** The next signal, or null when none came within {@code timeout}. */
    Signal next(Duration timeout) throws InterruptedException {
        return signals.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        source.cancel();
    }

    private final class Listener extends EventSourceListener {

        private static final Set<String> FINISHED = Set.of("done", "failed");

        @Override
        public void onEvent(EventSource source, String id, String type, String data) {
            if (!event.equals(type)) {
                return;
            }
            try {
                JsonNode view = JSON.readTree(data);
                if (FINISHED.contains(view.path("status").asText())) {
                    signals.add(new Finished(view.path("id").asText()));
                }
            } catch (IOException e) {
                signals.add(new Broken("not a progress view: " + e.getMessage()));
            }
        }

        @Override
        public void onClosed(EventSource source) {
            signals.add(new Ended());
        }

        @Override
        public void onFailure(EventSource source, Throwable t, Response response) {
            signals.add(new Broken(response != null ? "HTTP " + response.code() : String.valueOf(t)));
        }
    }
}
