package io.animegan.status;

import io.animegan.common.config.KafkaClientSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every status change of every image (or clip), on every ingest instance: a group-less consumer tails the
 * status store's changelog from its end (read_committed, so only changes the status app
 * committed) and hands each change to the listeners. Tombstones (retention) are not passed on.
 */
final class StatusChangelogTail<T> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatusChangelogTail.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Function<byte[], T> reader;
    private final List<Consumer<T>> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** @param reader reads one stored value of the changelog */
    StatusChangelogTail(String bootstrapServers, KafkaClientSettings client, String topic, Function<byte[], T> reader) {
        this.topic = topic;
        this.reader = reader;
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "ingest-status-feed-" + UUID.randomUUID());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        this.consumer =
                new KafkaConsumer<>(client.applyTo(props), new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "ingest-status-feed-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    /** Calls {@code listener} on the feed's thread with every changed status; keep it quick. */
    AutoCloseable subscribe(Consumer<T> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void run() {
        try {
            while (running && !assign()) {
                pause();
            }
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                        publish(record);
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    log.warn("status feed: {}; retrying", e.toString());
                    pause();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("status feed stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    /** The changelog exists once the status app has started for the first time; until then, false. */
    private boolean assign() {
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos == null || infos.isEmpty()) {
                return false;
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(
                    p -> consumer.position(p, Duration.ofSeconds(5))); // resolve "end" now, not at first poll
            return true;
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            log.debug("status feed: changelog {} not ready: {}", topic, e.toString());
            return false;
        }
    }

    private void publish(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        T status;
        try {
            status = reader.apply(record.value());
        } catch (RuntimeException e) {
            log.warn("status feed: skipping unreadable status {}@{}: {}", record.key(), record.offset(), e.toString());
            return;
        }
        for (Consumer<T> listener : listeners) {
            try {
                listener.accept(status);
            } catch (RuntimeException e) {
                log.warn("status listener failed", e);
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
