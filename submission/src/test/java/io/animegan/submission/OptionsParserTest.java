package io.animegan.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.common.style.StyleCatalogue;
import io.animegan.events.FaceStyle;
import io.animegan.events.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsParserTest {

    /** As ingest sees the catalogue where the models directory is not mounted: every style available. */
    private static final OptionsParser PARSER =
            new OptionsParser(StyleCatalogue.loadForRequests(Path.of("target", "no-models-here"), "int8"));

    @Test
    void defaults() {
        Options o = PARSER.parse(Map.of());
        assertThat(o.getStyle()).isEqualTo("animeganv2-hayao");
        assertThat(o.getFaces()).isTrue();
        assertThat(o.getMaxSide()).isEqualTo(1920);
        assertThat(o.getFormat()).isEqualTo("png");
        assertThat(o.getDebug()).isFalse();
        assertThat(o.getFaceStyle()).as("null: all face-style defaults").isNull();
        assertThat(o.getStyleSide()).as("null: full resolution").isNull();
    }

    @Test
    void readsTheFastHdStyleSide() {
        assertThat(PARSER.parse(Map.of("styleSide", List.of("768"), "maxSide", List.of("4096")))
                        .getStyleSide())
                .isEqualTo(768);
    }

    @Test
    void readsEveryField() {
        Options o = PARSER.parse(Map.of(
                "style",
                List.of("hayao"),
                "faces",
                List.of("false"),
                "maxSide",
                List.of("64"),
                "format",
                List.of("JPEG"),
                "debug",
                List.of("true")));
        assertThat(o.getFaces()).isFalse();
        assertThat(o.getMaxSide()).isEqualTo(64);
        assertThat(o.getFormat()).isEqualTo("jpeg");
        assertThat(o.getDebug()).isTrue();
        assertThat(PARSER.parse(Map.of("maxSide", List.of("2560"), "faces", List.of("")))
                        .getFaces())
                .isTrue();
    }

    @Test
    void readsTheFaceStyleAndKeepsTheDefaultsOfFieldsNotGiven() {
        Options o = PARSER.parse(Map.of(
                "skin",
                List.of("0"),
                "eyes",
                List.of("1"),
                "brows",
                List.of("0.25"),
                "sharpen",
                List.of("2"),
                "clone",
                List.of("MIXED")));
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

        FaceStyle one = PARSER.parse(Map.of("glasses", List.of(" 0.5 "))).getFaceStyle();
        assertThat(one.getGlasses()).isEqualTo(0.5f);
        assertThat(one.getSkin()).isEqualTo(defaults.getSkin());
        assertThat(one.getClone()).isEqualTo("normal");
        assertThat(PARSER.parse(Map.of("clone", List.of("normal"), "hair", List.of("1.0")))
                        .getFaceStyle()
                        .getHair())
                .isEqualTo(1f);
    }

    @Test
    void refusesFaceStyleValuesOutOfRange() {
        for (String field : List.of("skin", "eyes", "brows", "lips", "hair", "glasses")) {
            for (String bad : List.of("-0.01", "1.01", "2", "abc", "NaN", "Infinity", "0,5")) {
                assertThatThrownBy(() -> PARSER.parse(Map.of(field, List.of(bad))))
                        .as("%s=%s", field, bad)
                        .isInstanceOfSatisfying(ApiException.class, e -> {
                            assertThat(e.status()).isEqualTo(400);
                            assertThat(e.getMessage()).contains(field).contains("0 to 1");
                        });
            }
        }
        for (String bad : List.of("-1", "2.5", "x")) {
            assertThatThrownBy(() -> PARSER.parse(Map.of("sharpen", List.of(bad))))
                    .as("sharpen=%s", bad)
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
        for (String bad : List.of("poisson", "1", "seamless")) {
            assertThatThrownBy(() -> PARSER.parse(Map.of("clone", List.of(bad))))
                    .as("clone=%s", bad)
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
        assertThatThrownBy(() -> PARSER.parse(Map.of("skin", List.of("0.1", "0.2"))))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void refusesUnknownValues() {
        for (Map<String, List<String>> bad : List.of(
                Map.of("style", List.of("shinkai")),
                Map.of("faces", List.of("yes")),
                Map.of("debug", List.of("1")),
                Map.of("maxSide", List.of("63")),
                Map.of("maxSide", List.of("4097")),
                Map.of("styleSide", List.of("511")),
                Map.of("styleSide", List.of("2049")),
                Map.of("styleSide", List.of("fast")),
                Map.of("maxSide", List.of("12.5")),
                Map.of("maxSide", List.of("99999999999")),
                Map.of("format", List.of("gif")),
                Map.of("faces", List.of("true", "false")))) {
            assertThatThrownBy(() -> PARSER.parse(bad))
                    .as("%s", bad)
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    @Test
    void severalStylesGiveOneOptionsEachWithTheOldNameAsAnAlias() {
        List<Options> all = PARSER.parseAll(
                Map.of("style", List.of("animeganv3-shinkai, HAYAO,animeganv3-shinkai,"), "maxSide", List.of("512")));
        assertThat(all).extracting(Options::getStyle).containsExactly("animeganv3-shinkai", "animeganv2-hayao");
        assertThat(all).extracting(Options::getMaxSide).containsOnly(512);
    }

    @Test
    void unknownStylesAreRefusedWithTheKnownOnes() {
        for (String bad : List.of("shinkai", "animeganv3-hayao,vangogh", " , ")) {
            assertThatThrownBy(() -> PARSER.parseAll(Map.of("style", List.of(bad))))
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining(
                            "animeganv2-hayao, animeganv3-hayao, animeganv3-shinkai, animeganv3-cute-tiny, whitebox-cartoon");
        }
    }

    @Test
    void stylesWithoutTheirModelAreRefusedSayingWhy(@org.junit.jupiter.api.io.TempDir Path models) throws Exception {
        Files.writeString(models.resolve("animeganv2-hayao-int8-fast.onnx"), "stands in for the model file");
        OptionsParser parser = new OptionsParser(StyleCatalogue.loadForRequests(models, "int8"));
        assertThat(parser.parse(Map.of()).getStyle()).isEqualTo("animeganv2-hayao");
        assertThatThrownBy(() -> parser.parseAll(Map.of("style", List.of("hayao,whitebox-cartoon"))))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("'whitebox-cartoon' is unavailable")
                .hasMessageContaining("whitebox-cartoon.onnx");
    }

    @Test
    void faceFieldsNotGivenTakeTheStylesOwnDefaults() {
        List<Options> all = PARSER.parseAll(
                Map.of("style", List.of("animeganv3-cute-tiny,animeganv2-hayao"), "skin", List.of("0.3")));
        FaceStyle cute = all.get(0).getFaceStyle();
        FaceStyle hayao = all.get(1).getFaceStyle();
        assertThat(cute.getSkin()).isEqualTo(0.3f);
        assertThat(hayao.getSkin()).isEqualTo(0.3f);
        assertThat(cute.getEyes()).as("the cute style redraws eyes").isEqualTo(1f);
        assertThat(hayao.getEyes()).isEqualTo(FaceStyle.newBuilder().build().getEyes());
        assertThat(PARSER.parseAll(Map.of("style", List.of("animeganv3-cute-tiny")))
                        .get(0)
                        .getFaceStyle())
                .as("nothing given: the style's defaults apply in blend-stage")
                .isNull();
    }

    @Test
    void theCallbackUrlIsKeptAsGivenWhenThePolicyAcceptsIt() {
        assertThat(PARSER.callbackUrl(Map.of())).isNull();
        assertThat(PARSER.callbackUrl(Map.of("callbackUrl", List.of(" ")))).isNull();
        assertThat(PARSER.callbackUrl(Map.of("callbackUrl", List.of("https://93.184.215.14/Hooks?T=AbC"))))
                .isEqualTo("https://93.184.215.14/Hooks?T=AbC");
        OptionsParser allowing = new OptionsParser(
                StyleCatalogue.loadForRequests(Path.of("target", "no-models-here"), "int8"),
                io.animegan.common.webhook.CallbackPolicy.allowing(List.of("127.0.0.1")));
        assertThat(allowing.callbackUrl(Map.of("callbackUrl", List.of("http://127.0.0.1:9/hook"))))
                .isEqualTo("http://127.0.0.1:9/hook");
    }

    @Test
    void aRefusedCallbackUrlIsA400WithItsCode() {
        for (String url : List.of(
                "http://169.254.169.254/",
                "http://10.0.0.1/",
                "http://[::1]/",
                "http://localhost/",
                "ftp://93.184.215.14/",
                "https://user:pw@93.184.215.14/")) {
            assertThatThrownBy(() -> PARSER.callbackUrl(Map.of("callbackUrl", List.of(url))))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.code()).isEqualTo("CALLBACK_URL_REFUSED");
                    });
        }
        assertThatThrownBy(() ->
                        PARSER.callbackUrl(Map.of("callbackUrl", List.of("https://a.example/", "https://b.example/"))))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("more than once");
    }
}
