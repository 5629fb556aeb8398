package io.animegan.status;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** How a {@link JobStatus} is stored and passed between instances: {@code {"v":1,"job":{...}}}, like {@link StatusJson}. */
public final class JobJson {

  static final int VERSION = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private JobJson() {}

  record Stored(int v, JobStatus job) {}

  public static byte[] write(JobStatus job) {
    try {
      return MAPPER.writeValueAsBytes(new Stored(VERSION, job));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write job " + job.id(), e);
    }
  }

  public static JobStatus read(byte[] bytes) {
    try {
      Stored stored = MAPPER.readValue(bytes, Stored.class);
      if (stored.v() > VERSION) {
        throw new SerializationException("job layout v" + stored.v() + " is newer than this reader (v" + VERSION + ")");
      }
      return stored.job();
    } catch (IOException e) {
      throw new SerializationException("unreadable job: " + e.getMessage(), e);
    }
  }

  public static Serde<JobStatus> serde() {
    return Serdes.serdeFrom(
        (topic, job) -> job == null ? null : write(job),
        (topic, bytes) -> bytes == null ? null : read(bytes));
  }
}
