package io.animegan.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.common.storage.BlobStore;
import io.animegan.ingest.GuardSettings.StreamLimits;
import io.animegan.status.ImageStatus;
import io.animegan.status.ProgressView;
import io.animegan.status.QueueEstimator;
import io.animegan.status.QueueEstimator.Estimate;
import io.animegan.status.StatusStore;
import io.animegan.status.TenantStatuses;
import io.animegan.status.VideoStatus;
import io.animegan.status.VideoView;
import io.animegan.submission.ApiException;
import io.animegan.submission.Tenant;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live progress as server-sent events: {@code GET /api/events?ids=a,b,c&videos=d,e} (one stream
 * for a batch, so a page with many pictures and clips holds one connection),
 * {@code GET /api/images/{id}/events} and {@code GET /api/videos/{id}/events}. A clip's changes
 * are {@value #VIDEO_EVENT} events carrying its {@link VideoView}, each sent as it changes.
 * Each event is named {@code status} and carries a {@link ProgressView} as JSON: first the current
 * view of every known image, then a new one whenever the image moves on or its queue position or
 * estimate changes (every status change of any image can move the queue).
 *
 * <p>What to send is worked out on one thread, in order, so the status store's thread is never
 * held up; the writing is each stream's own ({@link EventStream}), so a slow browser holds up
 * only itself. A comment every {@link #HEARTBEAT} finds streams whose browser went away; streams
 * are capped per tenant and in total ({@link StreamSlots}) and ended after their maximum
 * lifetime (the page's EventSource reconnects).
 */
public final class ProgressRoutes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProgressRoutes.class);

    /** The event a clip's status travels in, beside the pictures' {@code status} events. */
    static final String VIDEO_EVENT = "video";

    /** Most images one stream may follow. */
    public static final int MAX_IDS = 100;
    /**
     * A closed connection is only noticed when written to (the second write fails), so this bounds
     * how long a stream whose browser went away holds its slot: about two heartbeats.
     */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);
    /** An estimate is sent again when it moved by more than this from the countdown the page runs. */
    static final double ETA_SLACK_SECONDS = 2;

    private final StatusStore feed;
    private final QueueEstimator estimator;
    private final StreamLimits limits;
    private final StreamSlots slots;
    /** Writer tasks, at most one per open stream, so never more threads than the total cap allows. */
    private final ThreadPoolExecutor writers;

    private final ObjectMapper json = new ObjectMapper();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ingest-progress-events");
        t.setDaemon(true);
        return t;
    });
    /** Touched only on the sender thread. */
    private final List<Watcher> watchers = new ArrayList<>();

    private final AutoCloseable subscription;
    private final AutoCloseable videoSubscription;

    /** One open stream: whose it is, the images and clips it follows and what it was last sent about each. */
    private record Watcher(
            EventStream stream,
            Tenant tenant,
            Set<String> ids,
            Map<String, Sent> sent,
            Set<String> videoIds,
            Map<String, VideoView> sentVideos) {}

    /** What a stream asks to follow, before it is open: whose it is, its images and its clips. */
    private record Asked(Tenant tenant, Set<String> ids, Set<String> videoIds) {}

    private record Sent(ProgressView view, long atMs) {}

    private final TenantStatuses tenants;

    /** @param store where the originals are, whose metadata says whose a not yet folded id is */
    public ProgressRoutes(StatusStore feed, QueueEstimator estimator, BlobStore store, StreamLimits limits) {
        this.tenants = new TenantStatuses(store);
        this.feed = feed;
        this.estimator = estimator;
        this.limits = limits;
        this.slots = new StreamSlots(limits);
        this.writers = new ThreadPoolExecutor(0, limits.total(), 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "ingest-event-writer");
            t.setDaemon(true);
            return t;
        });
        this.subscription = feed.subscribe(status -> sender.execute(() -> changed(status)));
        this.videoSubscription = feed.subscribeVideos(status -> sender.execute(() -> changedVideo(status)));
        sender.scheduleWithFixedDelay(
                this::heartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/events", this::streamBoth);
        routes.get("/api/images/{id}/events", ctx -> stream(ctx, ids(ctx.pathParam("id")), Set.of()));
        routes.get("/api/videos/{id}/events", ctx -> stream(ctx, Set.of(), videoIds(ctx.pathParam("id"))));
    }

    /** {@code ?ids=} pictures and {@code ?videos=} clips on one stream; either may be left out, not both. */
    private void streamBoth(Context ctx) throws Exception {
        String pictures = ctx.queryParam("ids");
        String clips = ctx.queryParam("videos");
        if (clips == null || clips.isBlank()) {
            stream(ctx, ids(pictures), Set.of());
            return;
        }
        Set<String> videoIds = videoIds(clips);
        Set<String> ids = pictures == null || pictures.isBlank() ? Set.of() : ids(pictures);
        if (ids.size() + videoIds.size() > MAX_IDS) {
            throw ApiException.badRequest("at most " + MAX_IDS + " images and videos per stream");
        }
        stream(ctx, ids, videoIds);
    }

    static Set<String> ids(String list) {
        return ids(list, "image", "ids");
    }

    /** Video ids, as {@link #ids(String)} reads image ids. */
    static Set<String> videoIds(String list) {
        return ids(list, "video", "videos");
    }

    /** @param what "image" or "video", for the refusal; {@code param} the query parameter that names them */
    private static Set<String> ids(String list, String what, String param) {
        String ask = "give the " + what + " ids as " + param + "=a,b,c";
        if (list == null || list.isBlank()) {
            throw ApiException.badRequest(ask);
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String id : list.split(",")) {
            String trimmed = id.strip();
            if (!TenantStatuses.ID.matcher(trimmed).matches()) {
                throw ApiException.badRequest(
                        "not " + (what.equals("image") ? "an " : "a ") + what + " id: '" + abbreviate(trimmed) + "'");
            }
            ids.add(trimmed);
        }
        if (ids.isEmpty()) {
            // ",,," splits into nothing: a stream of no image would only hold a slot.
            throw ApiException.badRequest(ask);
        }
        if (ids.size() > MAX_IDS) {
            throw ApiException.badRequest("at most " + MAX_IDS + " " + what + "s per stream, not " + ids.size());
        }
        return ids;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private void stream(Context ctx, Set<String> ids, Set<String> videoIds) throws Exception {
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new ApiException(406, "this is an event stream: send 'Accept: text/event-stream'");
        }
        Tenant tenant = RequestTenant.of(ctx);
        // Looked up here, not on the sender thread: an id not folded yet costs a storage call.
        List<ImageStatus> initial = ids.stream()
                .map(id -> tenants.find(id, tenant.id(), feed::find))
                .flatMap(Optional::stream)
                .toList();
        List<VideoStatus> initialVideos = videoIds.stream()
                .map(id -> tenants.findVideo(id, tenant.id(), feed::findVideo))
                .flatMap(Optional::stream)
                .toList();
        if (initial.isEmpty() && initialVideos.isEmpty()) {
            // None of the ids is the caller's: refused as for an unknown id, before the stream starts.
            throw ids.isEmpty()
                    ? ApiException.notFound(
                            videoIds.size() == 1
                                    ? "no video " + videoIds.iterator().next()
                                    : "none of these videos exists")
                    : ResultFiles.notFound(ids);
        }
        String holder = holder(ctx);
        slots.acquire(holder);
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                slots.release(holder);
            }
        };
        try {
            new SseHandler(client -> open(client, new Asked(tenant, ids, videoIds), initial, initialVideos, release))
                    .handle(ctx);
        } catch (Exception | Error e) {
            release.run();
            throw e;
        }
    }

    /**
     * Who a stream counts against: its tenant; with tokens off every client is the anonymous tenant,
     * so there each address counts as one (else twenty tabs anywhere would use up the service).
     */
    private static String holder(Context ctx) {
        Tenant tenant = RequestTenant.of(ctx);
        return tenant.equals(Tenant.ANONYMOUS) ? "address:" + ctx.ip() : "tenant:" + tenant.id();
    }

    private void open(
            SseClient client,
            Asked asked,
            List<ImageStatus> initial,
            List<VideoStatus> initialVideos,
            Runnable release) {
        client.keepAlive();
        EventStream stream = new EventStream(client, writers);
        Watcher watcher =
                new Watcher(stream, asked.tenant(), asked.ids(), new HashMap<>(), asked.videoIds(), new HashMap<>());
        ScheduledFuture<?> lifetime =
                sender.schedule(stream::close, limits.maxLifetime().toMillis(), TimeUnit.MILLISECONDS);
        client.onClose(() -> {
            release.run();
            lifetime.cancel(false);
            sender.execute(() -> watchers.remove(watcher));
        });
        sender.execute(() -> {
            watchers.add(watcher);
            long now = System.currentTimeMillis();
            Map<String, Estimate> estimates = estimator.estimates(now);
            for (ImageStatus status : initial) {
                send(watcher, view(status, estimates), now, true);
            }
            for (VideoStatus status : initialVideos) {
                sendVideo(watcher, VideoView.of(status, now));
            }
        });
    }

    /** Open event streams on this instance. */
    int openStreams() {
        return slots.open();
    }

    /** On the sender thread: learns from the change, then tells every stream what moved for its images. */
    private void changed(ImageStatus status) {
        long now = System.currentTimeMillis();
        estimator.update(status, now);
        if (watchers.isEmpty()) {
            return;
        }
        Map<String, Estimate> estimates = estimator.estimates(now);
        for (Watcher watcher : List.copyOf(watchers)) {
            for (String id : watcher.ids()) {
                if (id.equals(status.id())) {
                    if (status.belongsTo(watcher.tenant().id())) {
                        send(watcher, view(status, estimates), now, false);
                    }
                } else if (estimates.containsKey(id) && watcher.sent().containsKey(id)) {
                    // Only the queue moved for this one: its last view with the new estimate, no store lookup
                    // (one per followed image and change would make this thread the bottleneck of every stream).
                    send(watcher, watcher.sent().get(id).view().withEstimate(estimates.get(id)), now, false);
                }
            }
        }
    }

    /** On the sender thread: tells every stream following the clip, if it is its tenant's, what changed. */
    private void changedVideo(VideoStatus status) {
        long now = System.currentTimeMillis();
        for (Watcher watcher : List.copyOf(watchers)) {
            if (watcher.videoIds().contains(status.id())
                    && status.belongsTo(watcher.tenant().id())) {
                sendVideo(watcher, VideoView.of(status, now));
            }
        }
    }

    /** Sends a clip's view as a {@value #VIDEO_EVENT} event, unless it is what the stream was last sent. */
    private void sendVideo(Watcher watcher, VideoView view) {
        if (view.equals(watcher.sentVideos().get(view.id()))) {
            return;
        }
        String data;
        try {
            data = json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("video view not serializable", e);
        }
        if (watcher.stream().send(VIDEO_EVENT, data)) {
            watcher.sentVideos().put(view.id(), view);
        } else {
            watchers.remove(watcher);
        }
    }

    private ProgressView view(ImageStatus status, Map<String, Estimate> estimates) {
        return ProgressView.of(status, estimates.getOrDefault(status.id(), Estimate.NONE));
    }

    private void send(Watcher watcher, ProgressView view, long now, boolean always) {
        Sent before = watcher.sent().get(view.id());
        if (!always && before != null && !worthSending(before, view, now)) {
            return;
        }
        String data;
        try {
            data = json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("progress view not serializable", e);
        }
        if (watcher.stream().send("status", data)) {
            watcher.sent().put(view.id(), new Sent(view, now));
        } else {
            watchers.remove(watcher);
        }
    }

    /** Anything but the estimate changed, or the estimate moved away from the page's own countdown. */
    static boolean worthSending(Sent before, ProgressView view, long now) {
        if (!before.view().withoutEta().equals(view.withoutEta())) {
            return true;
        }
        Double was = before.view().etaSeconds();
        Double is = view.etaSeconds();
        if (was == null || is == null) {
            return !Objects.equals(was, is);
        }
        double countdown = was - (now - before.atMs()) / 1000.0;
        return Math.abs(countdown - is) > ETA_SLACK_SECONDS;
    }

    private void heartbeat() {
        for (Watcher watcher : List.copyOf(watchers)) {
            if (!watcher.stream().comment("keep-alive")) {
                watchers.remove(watcher);
            }
        }
    }

    @Override
    public void close() throws Exception {
        subscription.close();
        videoSubscription.close();
        sender.execute(() -> {
            for (Watcher watcher : watchers) {
                watcher.stream().close();
            }
            watchers.clear();
        });
        sender.shutdown();
        sender.awaitTermination(2, TimeUnit.SECONDS);
        writers.shutdownNow();
    }
}
