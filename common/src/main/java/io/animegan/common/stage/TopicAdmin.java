package io.animegan.common.stage;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.function.CheckedRunnable;
import io.animegan.common.config.KafkaClientSettings;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
import io.animegan.common.storage.BlobStore.Patience;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the pipeline's topics at start-up when they are missing, after checking that a broker
 * answers at all: a process pointed at nothing stops within {@link #REACH_TIMEOUT} with
 * {@link KafkaUnreachableException} instead of waiting out Kafka's one-minute API timeout. A broker
 * that accepts connections but is slow to answer (starting, or on a busy machine) is asked again
 * with the backoff stages use for an outage ({@link Patience#STAGE}).
 */
public final class TopicAdmin {

    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

    /** How long start-up waits for a broker to accept a connection, and for one answer of it. */
    public static final Duration REACH_TIMEOUT = Duration.ofSeconds(10);

    private TopicAdmin() {}

    public static void ensureTopics(String bootstrapServers, Topics topics) {
        ensureTopics(bootstrapServers, KafkaClientSettings.NONE, topics);
    }

    /** The topics of {@code config}, created with its Kafka client settings. */
    public static void ensureTopics(PipelineConfig config) {
        ensureTopics(config.bootstrapServers(), config.kafkaClient(), config.topics());
    }

    public static void ensureTopics(String bootstrapServers, KafkaClientSettings client, Topics topics) {
        requireReachable(bootstrapServers, REACH_TIMEOUT);
        Map<String, Object> config =
                new HashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        try (Admin admin = Admin.create(client.applyTo(config))) {
            untilAnswered(bootstrapServers, Patience.STAGE, () -> createMissing(bootstrapServers, admin, topics));
        }
    }

    /**
     * Runs {@code attempt} until it gets through, again after each retriable Kafka failure (a
     * timeout above all) as {@code patience} allows; then {@link KafkaUnreachableException}. Other
     * failures end it at once.
     */
    static void untilAnswered(String bootstrapServers, Patience patience, CheckedRunnable attempt) {
        try {
            Failsafe.with(patience.retries()
                            .handle(RetriableException.class)
                            .onRetry(retry -> log.warn(
                                    "Kafka broker at {} has not answered yet ({}); asking again",
                                    bootstrapServers,
                                    retry.getLastException().toString()))
                            .build())
                    .run(attempt);
        } catch (RetriableException e) {
            throw new KafkaUnreachableException(
                    "Kafka broker at " + bootstrapServers + " accepts connections but did not answer within "
                            + patience.maxDuration().toSeconds() + " s (" + why(e) + ")",
                    e);
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Kafka", e.getCause());
            }
            throw new IllegalStateException(
                    "cannot create topics: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * One attempt, each call bounded by {@link #REACH_TIMEOUT}. A retriable failure is thrown as
     * Kafka's own, for {@link #untilAnswered} to ask again.
     */
    private static void createMissing(String bootstrapServers, Admin admin, Topics topics) throws InterruptedException {
        int timeoutMs = (int) REACH_TIMEOUT.toMillis();
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                    .clusterId()
                    .get();
        } catch (ExecutionException e) {
            throw retriableOr(
                    e.getCause(),
                    new KafkaUnreachableException(
                            "no Kafka broker reachable at " + bootstrapServers + " within " + REACH_TIMEOUT.toSeconds()
                                    + " s (" + why(e.getCause()) + ")",
                            e.getCause()));
        }
        try {
            Set<String> existing = admin.listTopics(new ListTopicsOptions().timeoutMs(timeoutMs))
                    .names()
                    .get();
            List<NewTopic> missing = topics.all().stream()
                    .map(Topic::name)
                    .filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, topics.partitions(), topics.replicationFactor()))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing, new CreateTopicsOptions().timeoutMs(timeoutMs))
                        .all()
                        .get();
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) { // else another process created it meanwhile
                throw retriableOr(
                        e.getCause(),
                        new IllegalStateException(
                                "cannot create topics: " + e.getCause().getMessage(), e.getCause()));
            }
        }
    }

    private static RuntimeException retriableOr(Throwable cause, RuntimeException otherwise) {
        return cause instanceof RetriableException retriable ? retriable : otherwise;
    }

    /**
     * Waits up to {@code timeout} (trying again every half second, so a broker that is still
     * starting is waited for) until a bootstrap address accepts a TCP connection, without Kafka's
     * reconnect warnings. Addresses that cannot be parsed are left to the Kafka client.
     */
    static void requireReachable(String bootstrapServers, Duration timeout) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String server : bootstrapServers.split(",")) {
            String address = server.strip().replaceFirst("^[A-Za-z_]+://", "");
            int colon = address.lastIndexOf(':');
            if (colon <= 0) {
                return;
            }
            try {
                int port = Integer.parseInt(address.substring(colon + 1));
                addresses.add(InetSocketAddress.createUnresolved(
                        address.substring(0, colon).replace("[", "").replace("]", ""), port));
            } catch (NumberFormatException e) {
                return;
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (true) {
            for (InetSocketAddress address : addresses) {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address.getHostString(), address.getPort()), (int)
                            Math.min(left, 5_000));
                    return;
                } catch (IOException e) {
                    last = e;
                }
            }
            if (System.nanoTime() >= deadline || addresses.isEmpty()) {
                break;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Kafka", e);
            }
        }
        if (last != null) {
            throw new KafkaUnreachableException(
                    "no Kafka broker reachable at " + bootstrapServers + " within " + REACH_TIMEOUT.toSeconds() + " s ("
                            + why(last) + ")",
                    last);
        }
    }

    private static String why(Throwable cause) {
        return cause instanceof TimeoutException
                        || cause instanceof org.apache.kafka.common.errors.TimeoutException
                        || cause instanceof SocketTimeoutException
                ? "no answer"
                : cause.getMessage() != null
                        ? cause.getMessage()
                        : cause.getClass().getSimpleName();
    }
}
