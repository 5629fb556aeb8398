package io.animegan.common.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TraceHeadersTest {

  private static final String UUID_TRACE = "0af7651916cd43dd8448eb211c80319c";

  @Test
  void aPicturesFirstRecordCarriesItsSpanAndJob() {
    TraceContext span = TraceContext.root();
    Headers headers = TraceHeaders.of(span, "job 1+2,x");
    assertThat(TraceHeaders.parent(headers, "other")).isEqualTo(span);
    assertThat(TraceHeaders.jobId(headers)).contains("job 1+2,x");
    assertThat(TraceHeaders.of(span, null).headers(TraceHeaders.BAGGAGE)).isEmpty();
  }

  @Test
  void theJobIsFoundAmongOtherBaggage() {
    Headers headers = new RecordHeaders()
        .add(TraceHeaders.BAGGAGE, bytes("userId=alice"))
        .add(TraceHeaders.BAGGAGE, bytes("a=1, jobId = j%2D7;ttl=5 ,b=2"));
    assertThat(TraceHeaders.jobId(headers)).contains("j-7");
    assertThat(TraceHeaders.jobId(new RecordHeaders().add(TraceHeaders.BAGGAGE, bytes("jobId=%zz")))).isEmpty();
    assertThat(TraceHeaders.jobId(new RecordHeaders().add(TraceHeaders.BAGGAGE, null))).isEmpty();
  }

  @Test
  void withoutAValidHeaderTheEventsOwnTraceIdIsUsed() {
    Headers garbage = new RecordHeaders().add(TraceContext.HEADER, bytes("00-nonsense"));
    assertThat(TraceHeaders.parent(garbage, "0af76519-16cd-43dd-8448-eb211c80319c").traceId()).isEqualTo(UUID_TRACE);
    assertThat(TraceHeaders.parent(new RecordHeaders(), UUID_TRACE).traceId()).isEqualTo(UUID_TRACE);
  }

  @Test
  void anOutputGetsItsOwnSpanAndKeepsTheOtherHeaders() {
    TraceContext parent = TraceContext.root();
    RecordHeaders input = (RecordHeaders) TraceHeaders.of(parent, "j-1");
    input.setReadOnly();
    TraceContext span = parent.child();
    Headers output = TraceHeaders.withSpan(input, span);
    assertThat(output.headers(TraceContext.HEADER)).hasSize(1);
    assertThat(TraceHeaders.parent(output, null)).isEqualTo(span);
    assertThat(TraceHeaders.jobId(output)).contains("j-1");
    assertThat(TraceHeaders.parent(input, null)).as("the input is left as it was").isEqualTo(parent);
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
