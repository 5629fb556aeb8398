package io.animegan.common.stage;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * Kafka clients for a stage whose transactional ids survive a restart of the process.
 *
 * <p>Why: with {@code exactly_once_v2}, Kafka Streams 4.3.1 names each thread's producer
 * {@code <application.id>-<process id>-<thread index>}, and it keeps the process id in the state
 * directory only for topologies with persistent stores. The stages are stateless, so every start
 * gets a fresh id, and the transaction a {@code kill -9}ed instance left open is aborted only by
 * the broker's transaction timeout (minutes, sized for slow pictures); until then the pending
 * offsets and the open transaction block the restarted instance and every read_committed reader
 * of its partitions. With the instance's own stable id in place of the process id, the restarted
 * producer's {@code initTransactions} fences and aborts the leftover transaction at once.
 */
final class StableTransactionalIds implements KafkaClientSupplier {

    /** {@code <application.id>-<process uuid>-<thread index>}. */
    private static final Pattern STREAMS_ID = Pattern.compile("(.+)-[0-9a-fA-F-]{36}-(\\d+)");

    private final String instanceId;

    StableTransactionalIds(String instanceId) {
        this.instanceId = instanceId;
    }

    /** The transactional id with the process id replaced by this instance's, or as it is if not in Streams' form. */
    static String stable(String transactionalId, String instanceId) {
        Matcher m = STREAMS_ID.matcher(transactionalId);
        return m.matches() ? m.group(1) + "-" + instanceId + "-" + m.group(2) : transactionalId;
    }

    @Override
    public Admin getAdmin(Map<String, Object> config) {
        return Admin.create(config);
    }

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        Map<String, Object> copy = new HashMap<>(config);
        Object id = copy.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        if (id != null) {
            copy.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, stable(id.toString(), instanceId));
        }
        return new KafkaProducer<>(copy, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        return consumer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
        return consumer(config);
    }

    @Override
    public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return consumer(config);
    }

    private static Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
