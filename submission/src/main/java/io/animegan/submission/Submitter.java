package io.animegan.submission;

import io.animegan.common.config.KafkaClientSettings;
import io.animegan.common.config.Topic;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.common.trace.LogContext;
import io.animegan.common.trace.Telemetry;
import io.animegan.common.trace.TraceHeaders;
import io.animegan.events.BlobRef;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.Options;
import io.animegan.events.Trace;
import io.animegan.status.JobRecord;
import io.animegan.status.TenantStatuses;
import io.animegan.submission.UploadValidator.ValidUpload;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores validated uploads and announces them: the bytes go to {@code inputs/<id>/original}, then
 * an {@link ImageSubmitted} (key = image id) is produced by an idempotent producer (acks=all) and
 * acknowledged before the caller answers the client. Each picture's storing and sending is a
 * PRODUCER span ({@value #SPAN_NAME}), a child of the request's span; its context is the record's
 * {@code traceparent} and its trace id the event's {@code trace.traceId}.
 */
public final class Submitter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Submitter.class);
    static final String SPAN_NAME = "ingest submit";
    private static final AttributeKey<String> IMAGE_ID = AttributeKey.stringKey("animegan.image.id");
    private static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("animegan.job.id");
    private static final AttributeKey<String> STYLE = AttributeKey.stringKey("animegan.style");
    /**
     * Longest wait for the broker, so that a client hears 503 within about 5 s when Kafka is down
     * instead of holding the request for the producer's defaults (60 s blocked on metadata, then
     * 2 min of delivery attempts). Acks from a healthy cluster take milliseconds.
     */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(4);

    private static final int REQUEST_TIMEOUT_MS = 2_500;
    private static final int DELIVERY_TIMEOUT_MS = 3_500;
    private static final int MAX_BLOCK_MS = 3_000;

    private final BlobStore store;
    private final Topic<ImageSubmitted> topic;
    private final KafkaProducer<String, ImageSubmitted> producer;
    private final Map<String, Object> producerConfig;

    public Submitter(BlobStore store, String bootstrapServers, Topic<ImageSubmitted> topic) {
        this(store, bootstrapServers, KafkaClientSettings.NONE, topic);
    }

    /** @param client a secured cluster's settings, applied over the ones below */
    public Submitter(
            BlobStore store, String bootstrapServers, KafkaClientSettings client, Topic<ImageSubmitted> topic) {
        this.store = store;
        this.topic = topic;
        this.producerConfig = producerConfig(bootstrapServers, client);
        this.producer = new KafkaProducer<>(
                producerConfig,
                topic.keySerde().serializer(),
                topic.valueSerde().serializer());
    }

    /** An idempotent producer's settings that answer within {@link #ACK_TIMEOUT} when the broker is away. */
    static Map<String, Object> producerConfig(String bootstrapServers, KafkaClientSettings client) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "ingest-submitter-" + UUID.randomUUID());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        return Map.copyOf(client.applyTo(props));
    }

    /** One accepted picture: the id it got, the client's file name and the style it is drawn in. */
    public record Accepted(String id, String name, String style) {}

    /** A file left out of a job, and why. */
    public record Refused(String name, String error) {}

    /**
     * Stores every upload, then produces one event per upload and style and waits for all
     * acknowledgements. Each style's picture is an image of its own (its own id and stored copy).
     * The pictures are the anonymous tenant's (the style thumbnails: public catalogue data).
     *
     * @param perStyle the request's options, one per style asked for
     * @param startedAtNanos {@link System#nanoTime()} when the request began, for the trace's ingest time
     */
    public List<Accepted> submit(List<ValidUpload> uploads, List<Options> perStyle, long startedAtNanos) {
        return submit(uploads, perStyle, startedAtNanos, null, Tenant.ANONYMOUS, null);
    }

    /**
     * As {@link #submit(List, List, long)} for {@code tenant}, every picture part of the job {@code jobId} (null: no job).
     *
     * @param callbackUrl where webhook-stage posts each outcome, already checked (null: no webhook)
     */
    public List<Accepted> submit(
            List<ValidUpload> uploads,
            List<Options> perStyle,
            long startedAtNanos,
            String jobId,
            Tenant tenant,
            String callbackUrl) {
        Batch batch = batch(perStyle, startedAtNanos, jobId, tenant, callbackUrl);
        for (ValidUpload upload : uploads) {
            batch.add(upload);
        }
        return batch.send();
    }

    /** A submission built one upload at a time, so a caller need hold only one upload's bytes at once. */
    public Batch batch(List<Options> perStyle, long startedAtNanos, String jobId, Tenant tenant, String callbackUrl) {
        return new Batch(perStyle, startedAtNanos, jobId, tenant, callbackUrl);
    }

    /**
     * A stored copy waiting for its event, and the span of ingest's work on it (ended once the event is acknowledged).
     *
     * @param faceGroup the id shared by the styles of one upload whose faces are analysed once (null: alone)
     */
    private record Stored(
            String id,
            String name,
            BlobRef source,
            long sizeBytes,
            Options options,
            Span span,
            long spentMs,
            String faceGroup,
            int faceGroupSize) {}

    /**
     * Pictures stored so far by one request. {@link #add} stores one upload per style at once;
     * {@link #send} produces their events (the job size is known by then); {@link #abandon} deletes
     * what was stored when the request fails before sending, so a refused request leaves nothing.
     */
    public final class Batch {

        private final List<Options> perStyle;
        private final long startedAtNanos;
        private final String jobId;
        private final Tenant tenant;
        private final String callbackUrl;
        private final List<Stored> stored = new ArrayList<>();
        /** The request's context (its HTTP span and nothing else), parent of every picture's span. */
        private final Context parent;

        private Batch(List<Options> perStyle, long startedAtNanos, String jobId, Tenant tenant, String callbackUrl) {
            this.perStyle = perStyle;
            this.startedAtNanos = startedAtNanos;
            this.jobId = jobId;
            this.tenant = tenant;
            this.callbackUrl = callbackUrl;
            this.parent = TraceHeaders.withJob(Context.current(), jobId);
        }

        public void add(ValidUpload upload) {
            // The tenant rides on the original, so any instance can tell whose an id is before its status is folded.
            Map<String, String> metadata = Map.of(
                    TenantStatuses.TENANT_METADATA,
                    tenant.id(),
                    TenantStatuses.NAME_METADATA,
                    URLEncoder.encode(shortName(upload.name()), StandardCharsets.UTF_8));
            List<String> ids =
                    perStyle.stream().map(options -> Keys.newImageId()).toList();
            List<FaceGroup> groups = faceGroups(ids, perStyle);
            for (int i = 0; i < perStyle.size(); i++) {
                Options options = perStyle.get(i);
                String id = ids.get(i);
                Span span = span(id, options);
                BlobRef source;
                try {
                    source = store.put(
                            Keys.original(id),
                            upload.bytes(),
                            upload.header().format().contentType(),
                            metadata);
                } catch (RuntimeException e) {
                    fail(span, e);
                    throw e;
                }
                long spentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAtNanos);
                FaceGroup group = groups.get(i);
                stored.add(new Stored(
                        id,
                        upload.name(),
                        source,
                        upload.bytes().length,
                        options,
                        span,
                        spentMs,
                        group == null ? null : group.id(),
                        group == null ? 0 : group.size()));
            }
        }

        private Span span(String id, Options options) {
            var builder = Telemetry.tracer()
                    .spanBuilder(SPAN_NAME)
                    .setParent(parent)
                    .setSpanKind(SpanKind.PRODUCER)
                    .setAttribute("messaging.system", "kafka")
                    .setAttribute("messaging.operation.type", "send")
                    .setAttribute("messaging.destination.name", topic.name())
                    .setAttribute(IMAGE_ID, id)
                    .setAttribute(STYLE, String.valueOf(options.getStyle()));
            if (jobId != null) {
                builder.setAttribute(JOB_ID, jobId);
            }
            return builder.startSpan();
        }

        private boolean sent;

        public boolean isEmpty() {
            return stored.isEmpty();
        }

        /** The ids of the pictures stored so far, in order: known before any event is sent. */
        public List<String> ids() {
            return stored.stream().map(Stored::id).toList();
        }

        /** Whether {@link #send} has started: from then on the events may be out, so nothing is taken back. */
        public boolean isSent() {
            return sent;
        }

        /** Deletes every original stored so far (best effort: retention would find none of them, having no status). */
        public void abandon() {
            for (Stored s : stored) {
                s.span().setStatus(StatusCode.ERROR, "abandoned before sending");
                s.span().end();
                try {
                    store.deletePrefix(Keys.inputsPrefix(s.id()));
                } catch (RuntimeException e) {
                    log.warn("cannot delete the original of refused image {}: {}", s.id(), e.toString());
                }
            }
            stored.clear();
        }

        /** Produces one event per stored picture and waits for every acknowledgement. */
        public List<Accepted> send() {
            return send(jobId == null ? 0 : stored.size());
        }

        /** As {@link #send()}, for a job of {@code jobSize} pictures and clips. */
        private List<Accepted> send(int jobSize) {
            sent = true;
            try {
                return sendAll(jobSize);
            } catch (RuntimeException e) {
                // Every picture's span ends; those already ended (acknowledged, or the one that failed) stay as they
                // were.
                for (Stored s : stored) {
                    s.span().setStatus(StatusCode.ERROR, "not queued: " + e.getMessage());
                    s.span().end();
                }
                throw e;
            }
        }

        private List<Accepted> sendAll(int jobSize) {
            List<ImageSubmitted> events = new ArrayList<>(stored.size());
            List<Future<RecordMetadata>> acks = new ArrayList<>(stored.size());
            for (Stored s : stored) {
                // The event's trace id is the W3C one, so both name the same trace in logs, headers and status.
                Trace trace = new Trace(
                        s.span().getSpanContext().getTraceId(),
                        System.currentTimeMillis(),
                        Map.of("ingest", s.spentMs()));
                ImageSubmitted event = new ImageSubmitted(
                        s.id(),
                        s.name(),
                        s.source(),
                        s.sizeBytes(),
                        s.options(),
                        trace,
                        jobId,
                        jobSize,
                        tenant.id(),
                        callbackUrl,
                        s.faceGroup(),
                        s.faceGroupSize());
                Future<RecordMetadata> ack = producer.send(new ProducerRecord<>(
                        topic.name(), null, event.getImageId(), event, TraceHeaders.of(parent.with(s.span()))));
                if (ack.isDone()) {
                    awaitInSpan(
                            ack, event,
                            s.span()); // failed at once (no metadata within max.block.ms): don't block again per file
                }
                events.add(event);
                acks.add(ack);
            }
            List<Accepted> accepted = new ArrayList<>(events.size());
            for (int i = 0; i < events.size(); i++) {
                ImageSubmitted event = events.get(i);
                Span span = stored.get(i).span();
                try (LogContext ignored = LogContext.open(event.getImageId(), jobId, span.getSpanContext())) {
                    awaitInSpan(acks.get(i), event, span);
                    span.end();
                    log.info(
                            "queued image {} ({} bytes, style {}, trace {})",
                            event.getImageId(),
                            event.getSizeBytes(),
                            event.getOptions().getStyle(),
                            event.getTrace().getTraceId());
                }
                accepted.add(new Accepted(
                        event.getImageId(), event.getName(), event.getOptions().getStyle()));
            }
            return accepted;
        }
    }

    /** The face analysis group one style's picture of an upload shares with others: its id and how many share it. */
    record FaceGroup(String id, int size) {}

    /**
     * Per style (same order), the group whose faces face-stage analyses once for an upload: the
     * styles with faces on and the same output size (which sizes the face crops) share one, named by
     * the first one's id; a style alone in its group, or with faces off, gets none (null).
     */
    static List<FaceGroup> faceGroups(List<String> ids, List<Options> perStyle) {
        Map<Integer, List<Integer>> bySize = new HashMap<>();
        for (int i = 0; i < perStyle.size(); i++) {
            if (perStyle.get(i).getFaces()) {
                bySize.computeIfAbsent(perStyle.get(i).getMaxSide(), side -> new ArrayList<>())
                        .add(i);
            }
        }
        List<FaceGroup> groups = new ArrayList<>(Collections.nCopies(perStyle.size(), null));
        for (List<Integer> members : bySize.values()) {
            if (members.size() > 1) {
                FaceGroup group = new FaceGroup(ids.get(members.get(0)), members.size());
                members.forEach(i -> groups.set(i, group));
            }
        }
        return groups;
    }

    /** Waits for the ack; a failure ends the picture's span with the error. */
    private static void awaitInSpan(Future<RecordMetadata> ack, ImageSubmitted event, Span span) {
        try {
            await(ack, event);
        } catch (RuntimeException e) {
            fail(span, e);
            throw e;
        }
    }

    private static void fail(Span span, RuntimeException e) {
        span.recordException(e);
        span.setStatus(StatusCode.ERROR, e.toString());
        span.end();
    }

    /** S3 keeps about 2 KiB of metadata per object: the name there is only shown until the status is folded. */
    static String shortName(String name) {
        return name.codePoints()
                .limit(64)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }

    private static void await(Future<RecordMetadata> ack, ImageSubmitted event) {
        try {
            ack.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException("interrupted while queueing '" + event.getName() + "'", e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            log.warn("cannot queue image {}: {}", event.getImageId(), cause.toString());
            throw new ServiceUnavailableException("cannot queue '" + event.getName() + "' right now; try again", cause);
        }
    }

    /**
     * Stores a job's pictures ({@code storePictures} adds them to {@code batch}), then its
     * {@link JobRecord}, then sends the pictures' events: once the caller answers, any instance finds
     * the job, folded or not. A job that fails before its events are out leaves neither pictures
     * nor record behind.
     */
    public List<Accepted> submitJob(Batch batch, Runnable storePictures) {
        return submitJob(batch, storePictures, () -> null).images();
    }

    /** A job's accepted pictures and clips. */
    public record AcceptedJob(List<Accepted> images, List<Accepted> videos) {}

    /**
     * As {@link #submitJob(Batch, Runnable)} for a job that also holds clips: {@code storeClips}
     * stores them after the pictures (null: none), the record names both, and the clips' events
     * follow the pictures', each carrying the job's whole size.
     */
    public AcceptedJob submitJob(Batch batch, Runnable storePictures, Supplier<VideoSubmitter.Staged> storeClips) {
        boolean recorded = false;
        boolean clipsSent = false;
        VideoSubmitter.Staged clips = null;
        try {
            storePictures.run();
            clips = storeClips.get();
            List<String> clipIds = clips == null ? List.of() : clips.ids();
            store.put(
                    JobRecord.key(batch.jobId),
                    new JobRecord(batch.tenant.id(), batch.ids(), System.currentTimeMillis(), clipIds).toJson(),
                    "application/json");
            recorded = true;
            int jobSize = batch.ids().size() + clipIds.size();
            List<Accepted> images = batch.isEmpty() ? List.of() : batch.send(jobSize);
            clipsSent = true;
            List<Accepted> videos = clips == null ? List.of() : clips.send(batch.jobId, jobSize);
            return new AcceptedJob(images, videos);
        } catch (RuntimeException e) {
            if (!batch.isSent()) {
                batch.abandon();
            }
            if (clips != null && !clipsSent) {
                clips.abandon();
            }
            if (recorded) {
                deleteRecord(batch.jobId); // the client never hears the job id: nobody can ask for it
            }
            throw e;
        }
    }

    private void deleteRecord(String jobId) {
        try {
            store.deletePrefix(JobRecord.prefix(jobId));
        } catch (RuntimeException e) {
            log.warn("cannot delete the record of refused job {}: {}", jobId, e.toString());
        }
    }

    /** The configuration the producer was made with. */
    public Map<String, Object> producerConfig() {
        return producerConfig;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
