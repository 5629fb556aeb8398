package io.animegan.common.style;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.animegan.common.onnx.ModelNotFoundException;
import io.animegan.events.FaceStyle;
import io.animegan.events.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StyleCatalogueTest {

    @TempDir
    Path models;

    private void touch(String... files) throws Exception {
        for (String file : files) {
            Files.writeString(models.resolve(file), "model");
        }
    }

    @Test
    void theShippedCatalogueHasTheFiveStylesWithTheirModelSpecs() {
        StyleCatalogue catalogue = StyleCatalogue.builtIn();
        assertThat(catalogue.ids())
                .containsExactly(
                        "animeganv2-hayao",
                        "animeganv3-hayao",
                        "animeganv3-shinkai",
                        "animeganv3-cute-tiny",
                        "whitebox-cartoon");
        assertThat(catalogue.defaultStyle().id()).isEqualTo("animeganv2-hayao");
        assertThat(catalogue.resolve("HAYAO").id())
                .as("the old value is an alias")
                .isEqualTo("animeganv2-hayao");
        Style whitebox = catalogue.resolve("whitebox-cartoon");
        assertThat(whitebox.channels()).isEqualTo(ChannelOrder.BGR);
        assertThat(whitebox.outputClipped()).isFalse();
        assertThat(catalogue.resolve("animeganv3-cute-tiny").sizeMultiple()).isEqualTo(16);
        assertThat(catalogue.resolve("animeganv3-shinkai").int8Model()).isEqualTo("animeganv3-shinkai-int8.onnx");
        assertThat(whitebox.scale() * 255 + whitebox.offset()).isEqualTo(1.0);
        assertThatThrownBy(() -> catalogue.resolve("vangogh"))
                .isInstanceOf(UnknownStyleException.class)
                .hasMessageContaining(
                        "animeganv2-hayao, animeganv3-hayao, animeganv3-shinkai, animeganv3-cute-tiny, whitebox-cartoon");
    }

    @Test
    void availabilityFollowsTheFilesAndThePreferredVariant() throws Exception {
        touch("animeganv2-hayao-int8-fast.onnx", "animeganv2-hayao.onnx", "animeganv3-shinkai.onnx");
        StyleCatalogue int8 = StyleCatalogue.load(models, "int8").requireDefault();
        assertThat(int8.availability(int8.resolve("hayao")).modelFile()).isEqualTo("animeganv2-hayao-int8-fast.onnx");
        assertThat(int8.availability(int8.resolve("animeganv3-shinkai")).modelFile())
                .as("the other variant where the preferred one is missing")
                .isEqualTo("animeganv3-shinkai.onnx");
        StyleCatalogue.Availability whitebox = int8.availability(int8.resolve("whitebox-cartoon"));
        assertThat(whitebox.available()).isFalse();
        assertThat(whitebox.reason()).contains("whitebox-cartoon.onnx");
        assertThat(int8.available()).extracting(Style::id).containsExactly("animeganv2-hayao", "animeganv3-shinkai");

        StyleCatalogue floats = StyleCatalogue.load(models, "float");
        assertThat(floats.availability(floats.resolve("hayao")).modelFile()).isEqualTo("animeganv2-hayao.onnx");
        StyleCatalogue byFile = StyleCatalogue.load(models, "animeganv2-hayao.onnx");
        assertThat(byFile.availability(byFile.resolve("hayao")).modelFile())
                .as("the older option form")
                .isEqualTo("animeganv2-hayao.onnx");
    }

    @Test
    void onlyAMissingDefaultStopsStartUp() throws Exception {
        touch("whitebox-cartoon.onnx");
        assertThatThrownBy(() -> StyleCatalogue.load(models, "int8").requireDefault())
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("animeganv2-hayao-int8-fast.onnx");
        assertThat(StyleCatalogue.loadForRequests(models.resolve("absent"), "int8")
                        .available())
                .as("ingest without a models directory leaves the check to the stages")
                .hasSize(5);
    }

    @Test
    void anOverrideFileAddsAStyleAndChangesAnotherById() throws Exception {
        touch("animeganv2-hayao-int8-fast.onnx", "paprika.onnx");
        Files.writeString(models.resolve(StyleCatalogue.OVERRIDE_FILE), """
        {"default": "paprika",
         "styles": [
           {"id": "paprika", "name": "Paprika", "description": "Satoshi Kon look.", "model": "paprika.onnx",
            "channels": "BGR", "inputRange": [0.0, 1.0], "sizeMultiple": 32, "faceDefaults": {"eyes": 0.9, "clone": "mixed"}},
           {"id": "whitebox-cartoon", "description": "changed", "model": "paprika.onnx"}
         ]}
        """);
        StyleCatalogue catalogue = StyleCatalogue.load(models, "int8").requireDefault();
        assertThat(catalogue.ids()).hasSize(6).endsWith("paprika");
        assertThat(catalogue.defaultStyle().id()).isEqualTo("paprika");
        Style paprika = catalogue.resolve("paprika");
        assertThat(paprika.scale()).isEqualTo(1 / 255.0);
        assertThat(paprika.offset()).isZero();
        Style whitebox = catalogue.resolve("whitebox-cartoon");
        assertThat(whitebox.description()).isEqualTo("changed");
        assertThat(whitebox.name())
                .as("fields not given keep the shipped values")
                .isEqualTo("White-box cartoon");
        assertThat(whitebox.channels()).isEqualTo(ChannelOrder.BGR);
        assertThat(catalogue.availability(whitebox).available()).isTrue();

        FaceStyle faces =
                catalogue.faceStyle(Options.newBuilder().setStyle("paprika").build());
        assertThat(faces.getEyes()).isEqualTo(0.9f);
        assertThat(faces.getClone()).isEqualTo("mixed");
        assertThat(faces.getSkin())
                .as("schema default")
                .isEqualTo(FaceStyle.newBuilder().build().getSkin());
    }

    @Test
    void aRequestsOwnFaceStyleWinsOverTheStyles() {
        StyleCatalogue catalogue = StyleCatalogue.builtIn();
        FaceStyle own = FaceStyle.newBuilder().setEyes(0.2f).build();
        assertThat(catalogue.faceStyle(Options.newBuilder()
                        .setStyle("animeganv3-cute-tiny")
                        .setFaceStyle(own)
                        .build()))
                .isSameAs(own);
        assertThat(catalogue
                        .faceStyle(Options.newBuilder()
                                .setStyle("animeganv3-cute-tiny")
                                .build())
                        .getEyes())
                .isEqualTo(1f);
        assertThat(catalogue.faceStyle(Options.newBuilder().build()).getEyes()).isEqualTo(0.5f);
    }

    @Test
    void aBadEntryIsAClearStartUpError() throws Exception {
        Files.writeString(
                models.resolve(StyleCatalogue.OVERRIDE_FILE), "{\"styles\": [{\"id\": \"x\", \"modle\": \"x.onnx\"}]}");
        assertThatThrownBy(() -> StyleCatalogue.load(models, "int8")).hasMessageContaining("bad style entry");
    }
}
