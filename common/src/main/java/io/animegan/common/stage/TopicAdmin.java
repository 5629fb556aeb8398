package io.animegan.common.stage;

import io.animegan.common.config.KafkaClientSettings;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.Topic;
import io.animegan.common.config.Topics;
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
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the pipeline's topics at start-up when they are missing, after checking that a broker
 * answers at all: a process pointed at nothing stops within {@link #REACH_TIMEOUT} with
 * {@link KafkaUnreachableException} instead of waiting out Kafka's one-minute API timeout.
 */
public final class TopicAdmin {

    /** How long start-up waits for a broker to answer before it gives up. */
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
            try {
                admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) REACH_TIMEOUT.toMillis()))
                        .clusterId()
                        .get();
            } catch (ExecutionException e) {
                throw unreachable(bootstrapServers, e.getCause());
            }
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.all().stream()
                    .map(Topic::name)
                    .filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, topics.partitions(), topics.replicationFactor()))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "cannot create topics: " + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * Waits up to {@code timeout} (trying again every half second, so a broker that is still
     * starting is waited for) until a bootstrap address accepts a TCP connection, without Kafka's
     * reconnect warnings; the broker itself is then asked ({@code describeCluster}) with the same
     * timeout. Addresses that cannot be parsed are left to the Kafka client.
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
            throw unreachable(bootstrapServers, last);
        }
    }

    private static KafkaUnreachableException unreachable(String bootstrapServers, Throwable cause) {
        String why = cause instanceof TimeoutException
                        || cause instanceof org.apache.kafka.common.errors.TimeoutException
                        || cause instanceof SocketTimeoutException
                ? "no answer"
                : cause.getMessage() != null
                        ? cause.getMessage()
                        : cause.getClass().getSimpleName();
        return new KafkaUnreachableException(
                "no Kafka broker reachable at " + bootstrapServers + " within " + REACH_TIMEOUT.toSeconds() + " s ("
                        + why + ")",
                cause);
    }
}
