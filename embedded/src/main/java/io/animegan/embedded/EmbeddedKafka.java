package io.animegan.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker (KRaft, combined {@code broker,controller} roles) running
 * inside this JVM.
 *
 * <p>The log directory lives under {@code dataDir/kafka}. It is formatted on first start only; a
 * later start on the same {@code dataDir} reuses it (same cluster id), so topics, records,
 * transactions and committed consumer offsets survive a restart of the process. The broker port
 * may change between restarts.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** Node id of the single combined broker/controller. */
    public static final int NODE_ID = 1;
    /** Name of the log directory under the data directory. */
    public static final String LOG_DIR_NAME = "kafka";
    /** Time allowed for {@link #start} to bring the broker up. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static final String HOST = "localhost";
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String META_PROPERTIES = "meta.properties";

    private final KafkaRaftServer server;
    private final String clusterId;
    private final int brokerPort;
    private final Path logDir;
    private final FileLock dataDirLock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(KafkaRaftServer server, String clusterId, int brokerPort, Path logDir, FileLock dataDirLock) {
        this.server = server;
        this.dataDirLock = dataDirLock;
        this.clusterId = clusterId;
        this.brokerPort = brokerPort;
        this.logDir = logDir;
    }

    /**
     * Starts the broker and blocks until it accepts client requests.
     *
     * @param dataDir    where the Kafka log directory ({@code dataDir/kafka}) lives; created if needed
     * @param brokerPort the client port, or 0 for any free port
     * @throws IllegalStateException if the broker is not serving within {@link #START_TIMEOUT}
     */
    public static EmbeddedKafka start(Path dataDir, int brokerPort) {
        if (brokerPort < 0 || brokerPort > 65535) {
            throw new IllegalArgumentException("brokerPort out of range: " + brokerPort);
        }
        long t0 = System.nanoTime();
        long deadline = t0 + START_TIMEOUT.toNanos();
        Path logDir = dataDir.toAbsolutePath().resolve(LOG_DIR_NAME);
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create Kafka log dir " + logDir, e);
        }

        // Kafka locks the log dir only when the broker half starts, after the controller half has
        // already opened the metadata log: guard the whole directory up front instead.
        FileLock lock = lockDataDir(dataDir.toAbsolutePath().resolve(LOG_DIR_NAME + ".lock"));
        EmbeddedKafka kafka;
        String clusterId;
        boolean fresh;
        int bPort;
        try {
            bPort = brokerPort == 0 ? freePort() : brokerPort;
            int cPort = freePort(bPort);

            clusterId = existingClusterId(logDir);
            fresh = clusterId == null;
            if (fresh) {
                clusterId = Uuid.randomUuid().toString();
                format(logDir, clusterId);
            }

            KafkaConfig config = new KafkaConfig(brokerProperties(logDir, bPort, cPort), false);
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            kafka = new EmbeddedKafka(server, clusterId, bPort, logDir, lock);
        } catch (RuntimeException | Error e) {
            release(lock);
            throw e;
        }
        try {
            kafka.startAndAwait(deadline);
        } catch (RuntimeException | Error e) {
            kafka.close();
            throw e;
        }
        log.info(
                "Kafka broker {} on {} (cluster {}, {} log dir {}) in {} ms",
                NODE_ID,
                kafka.bootstrapServers(),
                clusterId,
                fresh ? "new" : "reused",
                logDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return kafka;
    }

    /** The {@code bootstrap.servers} value for clients, e.g. {@code localhost:9092}. */
    public String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    /** The client port the broker listens on. */
    public int port() {
        return brokerPort;
    }

    /** The KRaft cluster id (stable across restarts on the same data directory). */
    public String clusterId() {
        return clusterId;
    }

    /** Shuts the broker down and waits for it; calling it again does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Kafka broker shutdown failed", e);
        } finally {
            release(dataDirLock);
        }
        log.info(
                "Kafka broker on {} stopped in {} ms",
                bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + ", cluster " + clusterId + ", " + logDir + "]";
    }

    // ------------------------------------------------------------------------------------------

    /** The broker/controller configuration (also useful to read in tests). */
    static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put(
                "listeners",
                BROKER_LISTENER + "://" + HOST + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://" + HOST + ":"
                        + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("metadata.log.dir", logDir.toString());

        // Single node: every internal topic with one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "3");
        p.put("auto.create.topics.enable", "false");

        p.put("group.initial.rebalance.delay.ms", "0");
        // Stages hold transactions open for up to 5 minutes while a picture is processed.
        p.put("transaction.max.timeout.ms", "900000");
        // Default is 128 MiB allocated up front; 2 MiB is plenty for a few compacted topics.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        p.put("log.cleaner.threads", "1");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("num.recovery.threads.per.data.dir", "1");
        return p;
    }

    private void startAndAwait(long deadlineNanos) {
        ExecutorService starter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "embedded-kafka-startup");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<?> started = starter.submit(server::startup);
            started.get(remainingMillis(deadlineNanos), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka broker did not start within " + START_TIMEOUT.toSeconds() + " s (log dir " + logDir + ")",
                    e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "Kafka broker failed to start (log dir " + logDir + "): " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the Kafka broker", e);
        } finally {
            starter.shutdownNow();
        }
        awaitServing(deadlineNanos);
    }

    /** Polls describeCluster until this broker is listed, or fails at the deadline. */
    private void awaitServing(long deadlineNanos) {
        Map<String, Object> conf = new HashMap<>();
        conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        conf.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness");
        Exception last = null;
        try (Admin admin = Admin.create(conf)) {
            while (true) {
                long left = remainingMillis(deadlineNanos);
                if (left <= 0) {
                    break;
                }
                try {
                    int timeout = (int) Math.min(left, 10000);
                    var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeout));
                    var nodes = cluster.nodes().get(timeout, TimeUnit.MILLISECONDS);
                    if (nodes.stream().map(Node::id).anyMatch(id -> id == NODE_ID)) {
                        return;
                    }
                    last = new IllegalStateException("broker not yet registered, nodes " + nodes);
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
        }
        throw new IllegalStateException(
                "Kafka broker on " + bootstrapServers() + " did not accept requests within " + START_TIMEOUT.toSeconds()
                        + " s",
                last);
    }

    private static long remainingMillis(long deadlineNanos) {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }

    private static FileLock lockDataDir(Path lockFile) {
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
        } catch (OverlappingFileLockException e) {
            // held by another EmbeddedKafka in this JVM: same answer as below
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Cannot lock " + lockFile, e);
        }
        closeQuietly(channel);
        throw new IllegalStateException("Kafka data dir " + lockFile.getParent()
                + " is already in use by another embedded broker (lock " + lockFile + ")");
    }

    private static void release(FileLock lock) {
        try {
            lock.release();
        } catch (IOException e) {
            log.warn("Cannot release {}", lock, e);
        } finally {
            closeQuietly(lock.channel());
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /** The cluster id of an already formatted log dir, or null if it was never formatted. */
    private static String existingClusterId(Path logDir) {
        Path meta = logDir.resolve(META_PROPERTIES);
        if (!Files.isRegularFile(meta)) {
            return null;
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + meta, e);
        }
        String id = props.getProperty("cluster.id");
        if (id == null || id.isBlank()) {
            throw new IllegalStateException(meta + " has no cluster.id; remove " + logDir + " to start from scratch");
        }
        String nodeId = props.getProperty("node.id");
        if (nodeId != null && !nodeId.trim().equals(String.valueOf(NODE_ID))) {
            throw new IllegalStateException(meta + " belongs to node " + nodeId + ", expected " + NODE_ID);
        }
        return id.trim();
    }

    private static void format(Path logDir, String clusterId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(ps)
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka log dir " + logDir + ": " + e.getMessage(), e);
        }
        log.debug(
                "Formatted {}: {}", logDir, out.toString(StandardCharsets.UTF_8).trim());
    }

    /** A port that is free on the loopback interface right now, different from {@code avoid}. */
    private static int freePort(int... avoid) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                int port = s.getLocalPort();
                boolean clash = false;
                for (int a : avoid) {
                    clash |= a == port;
                }
                if (!clash) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot find a free port", e);
            }
        }
        throw new IllegalStateException("Cannot find a free port");
    }
}
