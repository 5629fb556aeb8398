package io.animegan.webhook;

import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import io.animegan.common.config.VideoTopics;
import io.animegan.events.ImageSubmitted;
import io.animegan.events.VideoSubmitted;
import io.animegan.events.WebhookDelivery;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;

/**
 * webhook-stage's topology. Pictures: the submitted topic says where to call back (and whose the
 * picture is, which picks the signing secret), the completed and failed topics what happened; all
 * three are keyed by image id, so one task holds both halves of each pair. Clips: the same with
 * the video topics, keyed by video id. Jobs: each picture's submission, re-keyed by job id, says where to call back,
 * and the jobs-completed topic (keyed by job id) that the job is finished. Each half has its own
 * stores and its own delivery schedule. Every attempt's outcome goes to the webhook deliveries
 * topic, the only topic this stage writes.
 */
final class WebhookTopology {

    private WebhookTopology() {}

    static Topology build(Topics topics, WebhookSettings settings, WebhookSender sender, WebhookMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        addStores(builder, CallbackJoin.Stores.IMAGES);
        addStores(builder, CallbackJoin.Stores.JOBS);
        addStores(builder, CallbackJoin.Stores.VIDEOS);
        Function<CallbackJoin.Stores, OnInit> schedule = stores -> context -> context.schedule(
                settings.tick(),
                PunctuationType.WALL_CLOCK_TIME,
                new DeliveryPunctuator(context, context.getStateStore(stores.deliveries()), sender, settings, metrics));
        Topic<WebhookDelivery> changes = topics.webhookDeliveries();

        KStream<String, ImageSubmitted> submitted = builder.stream(
                topics.submitted().name(), topics.submitted().consumed().withName("webhook-submitted"));
        submitted
                .process(
                        () -> new Join<>(
                                CallbackJoin.Stores.IMAGES,
                                schedule.apply(CallbackJoin.Stores.IMAGES),
                                (join, record) -> join.submitted(record.key(), callback(record.value()))),
                        Named.as("webhook-image-submitted"),
                        CallbackJoin.Stores.IMAGES.names())
                .to(changes.name(), changes.produced().withName("webhook-image-deliveries"));
        outcomes(
                builder,
                topics.completed(),
                CallbackJoin.Stores.IMAGES,
                event -> WebhookPayload.completed(event, settings.resultBaseUrl()));
        outcomes(builder, topics.failed(), CallbackJoin.Stores.IMAGES, WebhookPayload::failed);

        submitted
                .filter((id, event) -> event.getJobId() != null, Named.as("webhook-job-pictures"))
                .map(
                        (id, event) -> KeyValue.pair(
                                event.getJobId(), new Callback(event.getCallbackUrl(), event.getTenant(), null, null)),
                        Named.as("webhook-by-job"))
                .repartition(Repartitioned.with(Serdes.String(), Json.serde(Callback.class))
                        .withName("webhook-job-callbacks")
                        .withNumberOfPartitions(topics.partitions()))
                .process(
                        () -> new Join<Callback>(
                                CallbackJoin.Stores.JOBS,
                                schedule.apply(CallbackJoin.Stores.JOBS),
                                (join, record) -> join.submitted(record.key(), record.value())),
                        Named.as("webhook-job-submitted"),
                        CallbackJoin.Stores.JOBS.names())
                .to(changes.name(), changes.produced().withName("webhook-job-deliveries"));
        outcomes(builder, topics.jobsCompleted(), CallbackJoin.Stores.JOBS, WebhookPayload::job);

        VideoTopics videos = topics.videos();
        builder.stream(
                        videos.submitted().name(),
                        videos.submitted().consumed().withName("webhook-video-submitted-source"))
                .process(
                        () -> new Join<VideoSubmitted>(
                                CallbackJoin.Stores.VIDEOS,
                                schedule.apply(CallbackJoin.Stores.VIDEOS),
                                (join, record) -> join.submitted(record.key(), callback(record.value()))),
                        Named.as("webhook-video-submitted"),
                        CallbackJoin.Stores.VIDEOS.names())
                .to(changes.name(), changes.produced().withName("webhook-video-deliveries"));
        outcomes(
                builder,
                videos.completed(),
                CallbackJoin.Stores.VIDEOS,
                event -> WebhookPayload.completed(event, settings.resultBaseUrl()));
        outcomes(builder, videos.failed(), CallbackJoin.Stores.VIDEOS, WebhookPayload::failed);
        return builder.build();
    }

    private static Callback callback(ImageSubmitted event) {
        return new Callback(
                event.getCallbackUrl(), event.getTenant(), event.getOptions().getStyle(), event.getJobId());
    }

    private static Callback callback(VideoSubmitted event) {
        return new Callback(
                event.getCallbackUrl(), event.getTenant(), event.getOptions().getStyle(), event.getJobId());
    }

    private static <V> void outcomes(
            StreamsBuilder builder, Topic<V> topic, CallbackJoin.Stores stores, Function<V, WebhookPayload> payload) {
        builder.stream(topic.name(), topic.consumed().withName("webhook-" + topic.name()))
                .process(
                        () -> new Join<V>(
                                stores,
                                context -> {},
                                (join, record) -> join.finished(record.key(), payload.apply(record.value()))),
                        Named.as("webhook-outcome-" + topic.name()),
                        stores.names());
    }

    private static void addStores(StreamsBuilder builder, CallbackJoin.Stores stores) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(stores.callbacks()), Serdes.String(), Json.serde(Callback.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(stores.early()), Serdes.String(), Json.serde(WebhookPayload.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(stores.deliveries()), Serdes.String(), Json.serde(Delivery.class)));
    }

    /** What a join does when its task starts: the submission side schedules the task's deliveries. */
    private interface OnInit {
        void scheduleOn(ProcessorContext<String, WebhookDelivery> context);
    }

    /** One input topic's records handed to the join of their stores. */
    private static final class Join<V> implements Processor<String, V, String, WebhookDelivery> {

        private final CallbackJoin.Stores stores;
        private final OnInit onInit;
        private final Step<V> step;
        private CallbackJoin join;

        Join(CallbackJoin.Stores stores, OnInit onInit, Step<V> step) {
            this.stores = stores;
            this.onInit = onInit;
            this.step = step;
        }

        @Override
        public void init(ProcessorContext<String, WebhookDelivery> context) {
            join = new CallbackJoin(context, stores);
            onInit.scheduleOn(context);
        }

        @Override
        public void process(Record<String, V> record) {
            if (record.key() != null && record.value() != null) {
                step.apply(join, record);
            }
        }
    }

    /** What one record does to the join. */
    private interface Step<V> {
        void apply(CallbackJoin join, Record<String, V> record);
    }
}
