package io.animegan.ingest;

import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the five pipeline topics from their beginning and keeps every image's status in a
 * {@link StatusBook}, so any ingest instance answers the same, and a restarted one rebuilds its
 * state. It uses no consumer group (all partitions are assigned) and reads committed records
 * only, on its own thread.
 */
public final class StatusTracker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StatusTracker.class);
  static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
  static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

  private final StatusBook book = new StatusBook();
  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, Deserializer<?>> deserializers = new HashMap<>();
  private final Map<TopicPartition, Long> endOffsetsAtStart;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final List<Consumer<ImageStatus>> listeners = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  private StatusTracker(String bootstrapServers, Topics topics) {
    for (Topic<?> topic : topics.events()) {
      deserializers.put(topic.name(), topic.valueSerde().deserializer());
    }

    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "ingest-status-" + UUID.randomUUID());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (Topic<?> topic : topics.events()) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
          throw new IllegalStateException("topic " + topic + " does not exist");
        }
        infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      this.endOffsetsAtStart = consumer.endOffsets(partitions, Duration.ofSeconds(30));
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
    this.thread = new Thread(this::run, "ingest-status-tracker");
    thread.setDaemon(true);
  }

  /** Starts following the topics (they must exist) from their beginning. */
  public static StatusTracker start(String bootstrapServers, Topics topics) {
    StatusTracker tracker = new StatusTracker(bootstrapServers, topics);
    tracker.thread.start();
    return tracker;
  }

  public Optional<ImageStatus> status(String imageId) {
    return book.get(imageId);
  }

  /** Waits until every record that was on the topics when this tracker started has been applied. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean isCaughtUp() {
    return caughtUp.getCount() == 0;
  }

  /** Calls {@code listener} on the tracker's thread with every changed status; keep it quick. */
  public AutoCloseable subscribe(Consumer<ImageStatus> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void run() {
    try {
      checkCaughtUp();
      while (running) {
        try {
          ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
          for (ConsumerRecord<String, byte[]> record : records) {
            apply(record);
          }
          if (caughtUp.getCount() > 0) {
            checkCaughtUp();
          }
        } catch (WakeupException | org.apache.kafka.common.errors.InterruptException e) {
          throw e;
        } catch (KafkaException e) {
          // Keep following: a frozen status would be worse than a noisy log.
          log.warn("status tracker: {}; retrying", e.toString());
          sleepQuietly(RETRY_PAUSE);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        log.error("status tracker woken up unexpectedly", e);
      }
    } catch (RuntimeException e) {
      log.error("status tracker stopped", e);
    } finally {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  private void sleepQuietly(Duration pause) {
    long until = System.nanoTime() + pause.toNanos();
    while (running && System.nanoTime() < until) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    Object event;
    try {
      event = deserializers.get(record.topic()).deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      log.warn("skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
      return;
    }
    if (event == null) {
      return;
    }
    book.apply(event, record.timestamp()).ifPresent(this::publish);
  }

  private void publish(ImageStatus status) {
    for (Consumer<ImageStatus> listener : listeners) {
      try {
        listener.accept(status);
      } catch (RuntimeException e) {
        log.warn("status listener failed", e);
      }
    }
  }

  private void checkCaughtUp() {
    try {
      for (Map.Entry<TopicPartition, Long> end : endOffsetsAtStart.entrySet()) {
        if (consumer.position(end.getKey(), Duration.ofSeconds(5)) < end.getValue()) {
          return;
        }
      }
      caughtUp.countDown();
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      log.debug("position not known yet: {}", e.toString()); // asked again after the next poll
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
