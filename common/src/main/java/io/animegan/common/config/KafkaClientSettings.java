package io.animegan.common.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kafka client settings from a properties file ({@code --kafka-config}), applied to every Kafka
 * client the process creates: producers, consumers, admin clients and the Kafka Streams apps
 * (whose own producers, consumers and admin clients inherit unprefixed client settings). This is
 * where a secured cluster's {@code security.protocol}, {@code sasl.*} and {@code ssl.*} go.
 *
 * <p>{@link #applyTo} is the one place the entries are merged: over the service's own defaults
 * (so a timeout may be tuned), never over the settings the service's guarantees rest on (see
 * {@link #RESERVED}), which the file may not name. The values may be secrets
 * ({@code sasl.jaas.config}, key store passwords): {@link #toString} shows the keys only.
 *
 * @param source the file read, or null for none
 * @param entries key to value, as read
 */
public record KafkaClientSettings(Path source, Map<String, String> entries) {

    public static final KafkaClientSettings NONE = new KafkaClientSettings(null, Map.of());

    /**
     * Settings the service sets itself: the servers have their own option, and ids, serdes,
     * exactly-once and the read/acknowledge guarantees are what the pipeline relies on.
     */
    static final Set<String> RESERVED = Set.of(
            "bootstrap.servers",
            "application.id",
            "application.server",
            "client.id",
            "group.id",
            "group.instance.id",
            "transactional.id",
            "processing.guarantee",
            "enable.idempotence",
            "acks",
            "isolation.level",
            "enable.auto.commit",
            "state.dir",
            "key.serializer",
            "value.serializer",
            "key.deserializer",
            "value.deserializer");

    public KafkaClientSettings {
        entries = Map.copyOf(new TreeMap<>(entries));
        for (String key : entries.keySet()) {
            if (RESERVED.contains(key)) {
                throw new IllegalArgumentException("the Kafka client settings" + (source == null ? "" : " in " + source)
                        + " may not set '" + key + "': the service sets it itself");
            }
        }
    }

    /** The settings in a properties file (ISO-8859-1 escapes as {@link Properties} reads them, UTF-8 text). */
    public static KafkaClientSettings load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Kafka client settings " + file, e);
        }
        Map<String, String> entries = new TreeMap<>();
        properties
                .stringPropertyNames()
                .forEach(key ->
                        entries.put(key.strip(), properties.getProperty(key).strip()));
        return new KafkaClientSettings(file, entries);
    }

    /** @param file null or blank for none */
    public static KafkaClientSettings loadOrNone(String file) {
        return file == null || file.isBlank() ? NONE : load(Path.of(file.strip()));
    }

    /** Puts every entry into a client's (or a Streams app's) configuration, over what is there; returns it. */
    public <M extends Map<? super String, Object>> M applyTo(M config) {
        config.putAll(entries);
        return config;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public String toString() {
        // The values may be passwords or JAAS configurations: never logged.
        return source == null ? "none" : source + " " + entries.keySet();
    }
}
