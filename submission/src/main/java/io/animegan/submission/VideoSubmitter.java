package io.animegan.submission;

import io.animegan.common.config.KafkaClientSettings;
import io.animegan.common.config.Topic;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.trace.LogContext;
import io.animegan.common.trace.Telemetry;
import io.animegan.common.trace.TraceHeaders;
import io.animegan.events.BlobRef;
import io.animegan.events.Trace;
import io.animegan.events.VideoOptions;
import io.animegan.events.VideoSubmitted;
import io.animegan.status.TenantStatuses;
import io.animegan.submission.Submitter.Accepted;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores checked clips and announces them, as {@link Submitter} does for pictures: each clip is
 * streamed to {@code inputs/<id>/original} (never held whole in memory), then a
 * {@link VideoSubmitted} (key = video id) is produced by an idempotent producer and acknowledged
 * before the caller answers. A request that fails before its events are out leaves nothing stored.
 */
public final class VideoSubmitter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VideoSubmitter.class);
    static final String SPAN_NAME = "ingest submit video";
    private static final AttributeKey<String> VIDEO_ID = AttributeKey.stringKey("animegan.video.id");
    private static final AttributeKey<String> STYLE = AttributeKey.stringKey("animegan.style");

    private final BlobStore store;
    private final Topic<VideoSubmitted> topic;
    private final KafkaProducer<String, VideoSubmitted> producer;

    /** @param client a secured cluster's settings, applied over the producer's own */
    public VideoSubmitter(
            BlobStore store, String bootstrapServers, KafkaClientSettings client, Topic<VideoSubmitted> topic) {
        this.store = store;
        this.topic = topic;
        this.producer = new KafkaProducer<>(
                Submitter.producerConfig(bootstrapServers, client),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer());
    }

    /** Opens a checked upload's bytes; each call reads them from the start. */
    public interface Content {
        InputStream open() throws IOException;
    }

    /** One checked clip: its display name, size, sniffed container and bytes. */
    public record VideoUpload(String name, long sizeBytes, VideoContainer container, Content content) {}

    /** A stored clip waiting for its event, and the span of ingest's work on it. */
    private record Stored(String id, VideoUpload upload, BlobRef source, VideoOptions options, Span span) {}

    /**
     * Stores every upload once per style (each its own clip and id), then produces one event each
     * and waits for every acknowledgement.
     *
     * @param callbackUrl where webhook-stage posts each outcome, already checked (null: no webhook)
     */
    public List<Accepted> submit(
            List<VideoUpload> uploads,
            List<VideoOptions> perStyle,
            long startedAtNanos,
            Tenant tenant,
            String callbackUrl) {
        return store(uploads, perStyle, startedAtNanos, tenant, callbackUrl).send(null, 0);
    }

    /**
     * Stores every upload once per style (each its own clip and id), sending nothing yet: a job
     * sends its clips' events once it knows its size ({@link Stored#send}). Fails leaving nothing stored.
     */
    public Staged store(
            List<VideoUpload> uploads,
            List<VideoOptions> perStyle,
            long startedAtNanos,
            Tenant tenant,
            String callbackUrl) {
        Context parent = Context.current();
        List<Stored> stored = new ArrayList<>();
        try {
            for (VideoUpload upload : uploads) {
                for (VideoOptions options : perStyle) {
                    stored.add(store(upload, options, tenant, parent));
                }
            }
        } catch (RuntimeException e) {
            abandon(stored);
            throw e;
        }
        long spentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAtNanos);
        return new Staged(stored, spentMs, tenant, callbackUrl, parent);
    }

    /** Clips stored by one request and not announced yet. */
    public final class Staged {

        private final List<Stored> stored;
        private final long spentMs;
        private final Tenant tenant;
        private final String callbackUrl;
        private final Context parent;

        private Staged(List<Stored> stored, long spentMs, Tenant tenant, String callbackUrl, Context parent) {
            this.stored = List.copyOf(stored);
            this.spentMs = spentMs;
            this.tenant = tenant;
            this.callbackUrl = callbackUrl;
            this.parent = parent;
        }

        /** The ids of the stored clips, in order: known before any event is sent. */
        public List<String> ids() {
            return stored.stream().map(Stored::id).toList();
        }

        /** Deletes every stored original: the request failed before these clips' events were sent. */
        public void abandon() {
            VideoSubmitter.this.abandon(stored);
        }

        /**
         * Produces one event per clip and waits for every acknowledgement.
         *
         * @param jobId the job the clips belong to, null for a single upload
         * @param jobSize the job's pictures and clips, 0 without a job
         */
        public List<Accepted> send(String jobId, int jobSize) {
            return VideoSubmitter.this.send(stored, spentMs, tenant, callbackUrl, parent, jobId, jobSize);
        }
    }

    private Stored store(VideoUpload upload, VideoOptions options, Tenant tenant, Context parent) {
        String id = Keys.newImageId();
        Span span = Telemetry.tracer()
                .spanBuilder(SPAN_NAME)
                .setParent(parent)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "send")
                .setAttribute("messaging.destination.name", topic.name())
                .setAttribute(VIDEO_ID, id)
                .setAttribute(STYLE, options.getStyle())
                .startSpan();
        // The tenant rides on the original, so any instance can tell whose an id is before its status is folded.
        Map<String, String> metadata = Map.of(
                TenantStatuses.TENANT_METADATA,
                tenant.id(),
                TenantStatuses.NAME_METADATA,
                URLEncoder.encode(Submitter.shortName(upload.name()), StandardCharsets.UTF_8),
                TenantStatuses.KIND_METADATA,
                TenantStatuses.VIDEO_KIND);
        try (InputStream in = upload.content().open()) {
            BlobRef source = store.put(
                    Keys.original(id),
                    in,
                    upload.sizeBytes(),
                    upload.container().contentType(),
                    metadata);
            return new Stored(id, upload, source, options, span);
        } catch (IOException e) {
            fail(span, new UncheckedIOException(e));
            throw new UncheckedIOException("cannot read the uploaded clip '" + upload.name() + "'", e);
        } catch (RuntimeException e) {
            fail(span, e);
            throw e;
        }
    }

    private List<Accepted> send(
            List<Stored> stored,
            long spentMs,
            Tenant tenant,
            String callbackUrl,
            Context parent,
            String jobId,
            int jobSize) {
        List<VideoSubmitted> events = new ArrayList<>(stored.size());
        List<Future<RecordMetadata>> acks = new ArrayList<>(stored.size());
        for (Stored s : stored) {
            // The event's trace id is the W3C one, so both name the same trace in logs, headers and status.
            Trace trace = new Trace(
                    s.span().getSpanContext().getTraceId(), System.currentTimeMillis(), Map.of("ingest", spentMs));
            VideoSubmitted event = VideoSubmitted.newBuilder()
                    .setVideoId(s.id())
                    .setName(s.upload().name())
                    .setSource(s.source())
                    .setSizeBytes(s.upload().sizeBytes())
                    .setOptions(s.options())
                    .setTrace(trace)
                    .setTenant(tenant.id())
                    .setCallbackUrl(callbackUrl)
                    .setJobId(jobId)
                    .setJobSize(jobSize)
                    .build();
            events.add(event);
            acks.add(producer.send(
                    new ProducerRecord<>(topic.name(), null, s.id(), event, TraceHeaders.of(parent.with(s.span())))));
        }
        List<Accepted> accepted = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            VideoSubmitted event = events.get(i);
            Span span = stored.get(i).span();
            try (LogContext ignored = LogContext.open(event.getVideoId(), jobId, span.getSpanContext())) {
                await(acks.get(i), event);
                span.end();
                log.info(
                        "queued video {} ({} bytes, style {}, trace {})",
                        event.getVideoId(),
                        event.getSizeBytes(),
                        event.getOptions().getStyle(),
                        event.getTrace().getTraceId());
            } catch (RuntimeException e) {
                // Sent events may be out: nothing is taken back; every span still open ends with the error.
                for (int j = i; j < stored.size(); j++) {
                    fail(stored.get(j).span(), e);
                }
                throw e;
            }
            accepted.add(new Accepted(
                    event.getVideoId(), event.getName(), event.getOptions().getStyle()));
        }
        return accepted;
    }

    /** Deletes every original stored so far (best effort: retention would find none of them, having no status). */
    private void abandon(List<Stored> stored) {
        for (Stored s : stored) {
            s.span().setStatus(StatusCode.ERROR, "abandoned before sending");
            s.span().end();
            try {
                store.deletePrefix(Keys.inputsPrefix(s.id()));
            } catch (RuntimeException e) {
                log.warn("cannot delete the original of refused video {}: {}", s.id(), e.toString());
            }
        }
    }

    private static void fail(Span span, RuntimeException e) {
        span.recordException(e);
        span.setStatus(StatusCode.ERROR, e.toString());
        span.end();
    }

    private static void await(Future<RecordMetadata> ack, VideoSubmitted event) {
        try {
            ack.get(Submitter.ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException("interrupted while queueing '" + event.getName() + "'", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            log.warn("cannot queue video {}: {}", event.getVideoId(), cause.toString());
            throw new ServiceUnavailableException("cannot queue '" + event.getName() + "' right now; try again", cause);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
