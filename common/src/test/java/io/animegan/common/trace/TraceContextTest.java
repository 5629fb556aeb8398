package io.animegan.common.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TraceContextTest {

  @Test
  void aNewTraceIsW3cShapedAndReadsBackAsItself() {
    TraceContext root = TraceContext.root();
    assertThat(root.traceId()).matches("[0-9a-f]{32}");
    assertThat(root.spanId()).matches("[0-9a-f]{16}");
    assertThat(root.format()).isEqualTo("00-" + root.traceId() + "-" + root.spanId() + "-01");
    assertThat(TraceContext.parse(root.format())).contains(root);
    assertThat(TraceContext.root().traceId()).isNotEqualTo(root.traceId());
  }

  @Test
  void aChildIsTheSameTraceWithItsOwnSpan() {
    TraceContext parent = TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00").orElseThrow();
    TraceContext child = parent.child();
    assertThat(child.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(child.flags()).as("the caller's sampling decision is kept").isEqualTo("00");
    assertThat(child.spanId()).matches("[0-9a-f]{16}").isNotEqualTo(parent.spanId());
  }

  @Test
  void aLaterVersionWithMoreFieldsIsReadForWhatThisVersionKnows() {
    assertThat(TraceContext.parse(" 01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future "))
        .hasValueSatisfying(c -> assertThat(c.spanId()).isEqualTo("00f067aa0ba902b7"));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {
      "garbage",
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01",
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
      "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
      "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01"})
  void aMalformedHeaderIsIgnoredNeverThrown(String header) {
    assertThat(TraceContext.parse(header)).isEmpty();
  }

  @Test
  void anEventsUuidTraceIdBecomesTheSameW3cTraceInEveryStage() {
    UUID uuid = UUID.randomUUID();
    String expected = uuid.toString().replace("-", "");
    assertThat(TraceContext.rootFor(uuid.toString()).traceId()).isEqualTo(expected);
    assertThat(TraceContext.rootFor(uuid.toString().toUpperCase()).traceId()).isEqualTo(expected);
    assertThat(TraceContext.rootFor(expected).traceId()).isEqualTo(expected);
  }

  @Test
  void anyOtherTraceIdStartsANewTrace() {
    for (String id : new String[] {null, "", "t-1", "0".repeat(32)}) {
      assertThat(TraceContext.rootFor(id).traceId()).as(String.valueOf(id)).matches("[0-9a-f]{32}")
          .isNotEqualTo("0".repeat(32));
    }
  }
}
