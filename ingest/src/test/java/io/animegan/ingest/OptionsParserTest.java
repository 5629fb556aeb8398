package io.animegan.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.events.Options;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsParserTest {

  @Test
  void defaults() {
    Options o = OptionsParser.parse(Map.of());
    assertThat(o.getStyle()).isEqualTo("hayao");
    assertThat(o.getFaces()).isTrue();
    assertThat(o.getMaxSide()).isEqualTo(1920);
    assertThat(o.getFormat()).isEqualTo("png");
    assertThat(o.getDebug()).isFalse();
  }

  @Test
  void readsEveryField() {
    Options o = OptionsParser.parse(Map.of(
        "style", List.of("hayao"), "faces", List.of("false"), "maxSide", List.of("64"),
        "format", List.of("JPEG"), "debug", List.of("true")));
    assertThat(o.getFaces()).isFalse();
    assertThat(o.getMaxSide()).isEqualTo(64);
    assertThat(o.getFormat()).isEqualTo("jpeg");
    assertThat(o.getDebug()).isTrue();
    assertThat(OptionsParser.parse(Map.of("maxSide", List.of("4096"), "faces", List.of(""))).getFaces()).isTrue();
  }

  @Test
  void refusesUnknownValues() {
    for (Map<String, List<String>> bad : List.of(
        Map.of("style", List.of("shinkai")),
        Map.of("faces", List.of("yes")),
        Map.of("debug", List.of("1")),
        Map.of("maxSide", List.of("63")),
        Map.of("maxSide", List.of("4097")),
        Map.of("maxSide", List.of("12.5")),
        Map.of("maxSide", List.of("99999999999")),
        Map.of("format", List.of("gif")),
        Map.of("faces", List.of("true", "false")))) {
      assertThatThrownBy(() -> OptionsParser.parse(bad))
          .as("%s", bad)
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
  }
}
