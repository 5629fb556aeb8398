package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.tools.attach.VirtualMachine;
import io.animegan.app.TenantHttp.Answer;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.StorageConfig;
import io.animegan.common.storage.BlobStore;
import io.animegan.common.testing.TestAssets;
import io.animegan.embedded.EmbeddedKafka;
import io.animegan.embedded.EmbeddedS3;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, acceptance point 4: "A resource test sends a job with 100 copies of one 24 MiB key and
 * 20 parallel 25 MiB uploads. Each is refused or served within a 1 GiB heap, with nothing stored
 * twice. The test prints the peak heap." Ingest runs as its own JVM ({@code animegan ingest},
 * -Xmx1g, exiting on OutOfMemoryError) against a broker and S3 server in this JVM; its heap is
 * read over JMX (attach API).
 */
class IngestResourceIT {

    static final long MIB = 1024 * 1024;
    static final int UPLOADS = 20;
    static final String ACCESS_KEY = "resource-test";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aHundredCopiesOfOneKeyAndTwentyParallelUploadsFitInOneGibibyte(@TempDir Path dir) throws Exception {
        Path models = TestAssets.requireModel(PipelineConfig.DEFAULT_GENERATOR);
        String secret = UUID.randomUUID().toString();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("broker"), 0);
                EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0, ACCESS_KEY, secret)) {
            StorageConfig storage = new StorageConfig(s3.endpoint(), ACCESS_KEY, secret, "animegan", "us-east-1");
            BlobStore store = new BlobStore(storage);
            store.ensureBucket();
            String key = "tenants/anonymous/uploads/big.jpg";
            store.put(key, GeneratedPictures.jpegOfSize(24 * MIB, 99), "image/jpeg");
            int port = freePort();
            try (AnimeganProcess ingest = AnimeganProcess.start(
                    "ingest",
                    dir,
                    "1g",
                    Map.of(
                            "ANIMEGAN_S3_ACCESS_KEY",
                            ACCESS_KEY,
                            "ANIMEGAN_S3_SECRET_KEY",
                            secret,
                            "JAVA_TOOL_OPTIONS",
                            "-XX:+ExitOnOutOfMemoryError"),
                    List.of(
                            "ingest",
                            "--port",
                            String.valueOf(port),
                            "--bootstrap-servers",
                            kafka.bootstrapServers(),
                            "--s3-endpoint",
                            s3.endpoint(),
                            "--models",
                            models.toString(),
                            "--topic-prefix",
                            "resource.",
                            "--partitions",
                            "1",
                            "--rate-limit",
                            "off",
                            "--state-dir",
                            dir.resolve("state").toString()))) {
                ingest.awaitLog("ingest listening on", Duration.ofMinutes(2));
                try (HeapWatch heap = HeapWatch.attach(ingest.pid())) {
                    Map<String, Integer> served = sendAll(new TenantHttp("http://127.0.0.1:" + port, null), key);
                    assertThat(ingest.isAlive()).as("ingest survived").isTrue();
                    assertThat(ingest.output()).doesNotContain("java.lang.OutOfMemoryError");
                    System.out.printf(
                            "peak heap of ingest (-Xmx1g): %.0f MiB (sum of heap pools' peaks), %.0f MiB (highest "
                                    + "sampled total), of %.0f MiB max%n",
                            heap.peakOfPools() / (double) MIB,
                            heap.sampledMax() / (double) MIB,
                            heap.max() / (double) MIB);
                    assertThat(heap.peakOfPools()).isLessThanOrEqualTo(heap.max());
                    assertNothingStoredTwice(storage, served);
                }
            }
        }
    }

    /** The job and the uploads at once; every answer 202 (served) or 503 with Retry-After (refused). Ids served → bytes. */
    private static Map<String, Integer> sendAll(TenantHttp http, String key) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(UPLOADS + 1);
        Map<String, Integer> served = Collections.synchronizedMap(new HashMap<>());
        List<Future<String>> answers = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            String keys = String.join(",", Collections.nCopies(100, "\"" + key + "\""));
            answers.add(clients.submit(() -> {
                Answer job = http.postJson("/api/jobs", "{\"keys\":[" + keys + "],\"options\":{\"faces\":false}}");
                record(job, (int) (24 * MIB), served);
                if (job.status() == 202) {
                    assertThat(JSON.readTree(job.body()).path("images"))
                            .as("100 copies of one key: one picture")
                            .hasSize(1);
                }
                return "job " + job.status();
            }));
            // One 25 MiB picture sent by 20 clients: 20 submissions, each to be stored once (and the test JVM holds one
            // copy).
            byte[] picture = GeneratedPictures.jpegOfSize(25 * MIB, 7);
            for (int i = 0; i < UPLOADS; i++) {
                answers.add(clients.submit(() -> {
                    Answer upload = http.upload("/api/images", "big.jpg", picture, Map.of("faces", "false"));
                    record(upload, picture.length, served);
                    return "upload " + upload.status();
                }));
            }
            List<String> outcomes = new ArrayList<>();
            for (Future<String> answer : answers) {
                outcomes.add(answer.get());
            }
            System.out.printf("answers after %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, outcomes);
        } finally {
            clients.shutdownNow();
        }
        return served;
    }

    private static void record(Answer answer, int bytes, Map<String, Integer> served) throws Exception {
        assertThat(answer.status()).as(answer.body()).isIn(202, 503);
        if (answer.status() == 202) {
            for (JsonNode image : JSON.readTree(answer.body()).path("images")) {
                served.put(image.path("id").asText(), bytes);
            }
        }
    }

    /** Every served picture is stored once, whole; nothing else is under inputs/ (no partial or duplicate objects). */
    private static void assertNothingStoredTwice(StorageConfig storage, Map<String, Integer> served) throws Exception {
        MinioClient client = MinioClient.builder()
                .endpoint(storage.endpoint())
                .credentials(storage.accessKey(), storage.secretKey())
                .region(storage.region())
                .build();
        Map<String, Long> stored = new HashMap<>();
        for (Result<Item> item : client.listObjects(ListObjectsArgs.builder()
                .bucket(storage.bucket())
                .prefix("inputs/")
                .recursive(true)
                .build())) {
            stored.put(item.get().objectName(), item.get().size());
        }
        Set<String> expected = new HashSet<>();
        served.forEach((id, bytes) -> expected.add("inputs/" + id + "/original"));
        System.out.printf("%d pictures served, %d originals stored%n", served.size(), stored.size());
        assertThat(stored.keySet()).isEqualTo(expected);
        served.forEach((id, bytes) ->
                assertThat(stored.get("inputs/" + id + "/original")).isEqualTo((long) bytes));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Another JVM's heap over JMX: its pools' peaks, and the highest total sampled every 20 ms. */
    private static final class HeapWatch implements AutoCloseable {

        private final JMXConnector connector;
        private final MBeanServerConnection server;
        private final AtomicLong sampledMax = new AtomicLong();
        private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "heap-sampler");
            thread.setDaemon(true);
            return thread;
        });

        private HeapWatch(JMXConnector connector) throws Exception {
            this.connector = connector;
            this.server = connector.getMBeanServerConnection();
            MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(
                    server, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
            // A failed sample (the JVM gone) ends the sampling.
            sampler.scheduleAtFixedRate(
                    () -> sampledMax.accumulateAndGet(
                            memory.getHeapMemoryUsage().getUsed(), Math::max),
                    0,
                    20,
                    TimeUnit.MILLISECONDS);
        }

        static HeapWatch attach(long pid) throws Exception {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            return new HeapWatch(JMXConnectorFactory.connect(new JMXServiceURL(address)));
        }

        long peakOfPools() throws Exception {
            long sum = 0;
            for (ObjectName name :
                    server.queryNames(new ObjectName(ManagementFactory.MEMORY_POOL_MXBEAN_DOMAIN_TYPE + ",*"), null)) {
                MemoryPoolMXBean pool =
                        ManagementFactory.newPlatformMXBeanProxy(server, name.toString(), MemoryPoolMXBean.class);
                if (pool.getType() == MemoryType.HEAP) {
                    sum += pool.getPeakUsage().getUsed();
                }
            }
            return sum;
        }

        long sampledMax() {
            return sampledMax.get();
        }

        long max() throws Exception {
            return ManagementFactory.newPlatformMXBeanProxy(
                            server, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class)
                    .getHeapMemoryUsage()
                    .getMax();
        }

        @Override
        public void close() throws Exception {
            sampler.shutdownNow();
            sampler.awaitTermination(1, TimeUnit.SECONDS);
            connector.close();
        }
    }
}
