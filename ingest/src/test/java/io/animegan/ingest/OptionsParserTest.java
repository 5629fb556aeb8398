package io.animegan.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.events.FaceStyle;
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
    assertThat(o.getFaceStyle()).as("null: all face-style defaults").isNull();
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
    assertThat(OptionsParser.parse(Map.of("maxSide", List.of("2560"), "faces", List.of(""))).getFaces()).isTrue();
  }

  @Test
  void readsTheFaceStyleAndKeepsTheDefaultsOfFieldsNotGiven() {
    Options o = OptionsParser.parse(Map.of(
        "skin", List.of("0"), "eyes", List.of("1"), "brows", List.of("0.25"), "sharpen", List.of("2"),
        "clone", List.of("MIXED")));
    FaceStyle style = o.getFaceStyle();
    FaceStyle defaults = FaceStyle.newBuilder().build();
    assertThat(style.getSkin()).isZero();
    assertThat(style.getEyes()).isEqualTo(1f);
    assertThat(style.getBrows()).isEqualTo(0.25f);
    assertThat(style.getSharpen()).isEqualTo(2f);
    assertThat(style.getClone()).isEqualTo("mixed");
    assertThat(style.getLips()).isEqualTo(defaults.getLips());
    assertThat(style.getHair()).isEqualTo(defaults.getHair());
    assertThat(style.getGlasses()).isEqualTo(defaults.getGlasses());

    FaceStyle one = OptionsParser.parse(Map.of("glasses", List.of(" 0.5 "))).getFaceStyle();
    assertThat(one.getGlasses()).isEqualTo(0.5f);
    assertThat(one.getSkin()).isEqualTo(defaults.getSkin());
    assertThat(one.getClone()).isEqualTo("normal");
    assertThat(OptionsParser.parse(Map.of("clone", List.of("normal"), "hair", List.of("1.0"))).getFaceStyle().getHair()).isEqualTo(1f);
  }

  @Test
  void refusesFaceStyleValuesOutOfRange() {
    for (String field : List.of("skin", "eyes", "brows", "lips", "hair", "glasses")) {
      for (String bad : List.of("-0.01", "1.01", "2", "abc", "NaN", "Infinity", "0,5")) {
        assertThatThrownBy(() -> OptionsParser.parse(Map.of(field, List.of(bad))))
            .as("%s=%s", field, bad)
            .isInstanceOfSatisfying(ApiException.class, e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.getMessage()).contains(field).contains("0 to 1");
            });
      }
    }
    for (String bad : List.of("-1", "2.5", "x")) {
      assertThatThrownBy(() -> OptionsParser.parse(Map.of("sharpen", List.of(bad))))
          .as("sharpen=%s", bad)
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
    for (String bad : List.of("poisson", "1", "seamless")) {
      assertThatThrownBy(() -> OptionsParser.parse(Map.of("clone", List.of(bad))))
          .as("clone=%s", bad)
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }
    assertThatThrownBy(() -> OptionsParser.parse(Map.of("skin", List.of("0.1", "0.2"))))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
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
