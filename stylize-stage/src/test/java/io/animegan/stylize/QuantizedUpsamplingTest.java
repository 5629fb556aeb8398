package io.animegan.stylize;

import static io.animegan.stylize.LayerNormGraphTest.meanAbsDiff;
import static io.animegan.stylize.LayerNormGraphTest.picture;
import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import io.animegan.common.image.MatScope;
import io.animegan.common.image.OpenCv;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.style.Style;
import io.animegan.common.style.StyleCatalogue;
import io.animegan.common.testing.TestAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencv.core.Mat;

/** {@link QuantizedUpsampling} moves the int8 generators' upsampling onto bytes, and hardly moves the drawing. */
class QuantizedUpsamplingTest {

    static {
        OpenCv.load();
    }

    @ParameterizedTest
    @ValueSource(strings = {"animeganv2-hayao-int8-fast.onnx", "animeganv3-hayao-int8.onnx"})
    void everyResizeReadsBytesAndNoQuantizeReadsAResize(String file) throws Exception {
        ModelProto before = model(file, false);
        ModelProto after = model(file, true);

        assertThat(resizeInputs(after)).hasSameSizeAs(resizeInputs(before)).isNotEmpty();
        Map<String, NodeProto> producer = new HashMap<>();
        after.getGraph().getNodeList().forEach(n -> n.getOutputList().forEach(out -> producer.put(out, n)));
        assertThat(resizeInputs(after))
                .allSatisfy(input -> assertThat(producer.get(input).getOpType()).isEqualTo("QuantizeLinear"));
        assertThat(after.getGraph().getNodeList())
                .filteredOn(n -> n.getOpType().equals("QuantizeLinear"))
                .allSatisfy(q -> assertThat(producer.get(q.getInput(0)))
                        .satisfiesAnyOf(
                                p -> assertThat(p).isNull(),
                                p -> assertThat(p.getOpType()).isNotEqualTo("Resize")));
        assertThat(after.getGraph().getNodeCount()).isEqualTo(before.getGraph().getNodeCount());
    }

    @Test
    void graphsWithoutQuantizedUpsamplingAreLeftAsTheyAre() throws Exception {
        for (String file : List.of("animeganv2-hayao.onnx", "animeganv2-hayao-int8.onnx", "whitebox-cartoon.onnx")) {
            byte[] bytes = Files.readAllBytes(TestAssets.requireModel(file).resolve(file));
            assertThat(QuantizedUpsampling.INSTANCE.apply(bytes)).as(file).isSameAs(bytes);
        }
    }

    /**
     * On a sample photo: the rewritten int8-fast generator draws within a few grey levels of the
     * file as shipped, and no further from the float generator than that file is (the difference
     * is of the size quantisation itself makes).
     */
    @Test
    void theDrawingStaysAsCloseToTheFloatModelAsTheInt8FileIs() {
        String fast = "animeganv2-hayao-int8-fast.onnx";
        String full = "animeganv2-hayao.onnx";
        Path models = TestAssets.requireModel(fast);
        TestAssets.requireModel(full);
        Style style = StyleCatalogue.builtIn().resolve("hayao");
        try (MatScope scope = new MatScope();
                StyleGenerator shipped = new StyleGenerator(style, OnnxModel.load(models, fast, 2));
                StyleGenerator rewritten = StyleGenerator.load(style, models, fast, 2);
                StyleGenerator reference = new StyleGenerator(style, OnnxModel.load(models, full, 2))) {
            Mat photo = scope.own(picture(scope, 320, 256));
            Mat asShipped = scope.own(shipped.stylize(photo));
            Mat moved = scope.own(rewritten.stylize(photo));
            Mat floats = scope.own(reference.stylize(photo));

            double fromShipped = meanAbsDiff(moved, asShipped, scope);
            assertThat(fromShipped)
                    .as("mean change from the shipped file")
                    .isGreaterThan(0)
                    .isLessThan(3);
            assertThat(meanAbsDiff(moved, floats, scope))
                    .as("distance from the float model")
                    .isLessThanOrEqualTo(1.1 * meanAbsDiff(asShipped, floats, scope));
        }
    }

    private static ModelProto model(String file, boolean rewritten) throws Exception {
        Path path = TestAssets.requireModel(file).resolve(file);
        byte[] bytes = Files.readAllBytes(path);
        return ModelProto.parseFrom(rewritten ? QuantizedUpsampling.INSTANCE.apply(bytes) : bytes);
    }

    private static List<String> resizeInputs(ModelProto model) {
        return model.getGraph().getNodeList().stream()
                .filter(n -> n.getOpType().equals("Resize"))
                .map(n -> n.getInput(0))
                .toList();
    }
}
