package io.animegan.common.config;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A topic's name bound to the serde of its values, so no caller can pair a name with the wrong
 * serde. Keys are image ids (strings), which keeps an image on one partition throughout; on the
 * job topics they are job ids.
 */
public record Topic<V>(String name, Serde<V> valueSerde) {

    public Serde<String> keySerde() {
        return Serdes.String();
    }

    public Consumed<String, V> consumed() {
        return Consumed.with(keySerde(), valueSerde);
    }

    public Produced<String, V> produced() {
        return Produced.with(keySerde(), valueSerde);
    }

    @Override
    public String toString() {
        return name;
    }
}
