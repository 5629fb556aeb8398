package io.animegan.status;

import java.io.IOException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * A topology test whose tests share one test driver, each with keys of its own and reading only
 * the records it causes (what earlier tests produced is read away first), because a driver with
 * RocksDB stores takes most of a second to open. A test that moves the wall clock or looks at a
 * whole store calls {@link #useFreshDriver()} for a driver of its own, closed after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SharedDriverTest {

    /** The driver the running test uses. */
    protected TopologyTestDriver driver;

    private TopologyTestDriver shared;

    /** A new driver on the class's topology. */
    protected abstract TopologyTestDriver open() throws IOException;

    /** Binds the test's topics and stores to {@code driver}. */
    protected abstract void use(TopologyTestDriver driver);

    @BeforeAll
    void openShared() throws IOException {
        shared = open();
    }

    @AfterAll
    void closeShared() {
        shared.close();
    }

    @BeforeEach
    void useShared() {
        bind(shared);
        for (String topic : driver.producedTopicNames()) {
            driver.createOutputTopic(
                            topic,
                            Serdes.ByteArray().deserializer(),
                            Serdes.ByteArray().deserializer())
                    .readRecordsToList();
        }
    }

    protected void useFreshDriver() throws IOException {
        bind(open());
    }

    @AfterEach
    void closeFresh() {
        if (driver != shared) {
            driver.close();
        }
    }

    private void bind(TopologyTestDriver driver) {
        this.driver = driver;
        use(driver);
    }
}
