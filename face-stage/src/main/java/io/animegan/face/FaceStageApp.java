package io.animegan.face;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.onnx.OnnxModel;
import io.animegan.common.stage.StageRunner;
import io.animegan.common.stage.StreamsSettings;
import io.animegan.common.storage.BlobStore;

/** The face-stage Kafka Streams application: ImageSubmitted in, FacesDetected out, faces analysed once per face group. */
public final class FaceStageApp {

    public static final String APPLICATION_ID = "animegan-face-stage";
    public static final String DETECTOR_MODEL = "retinaface-mobilenet0.25.onnx";
    public static final String PARSER_MODEL = "face-parsing-bisenetv2.onnx";

    private FaceStageApp() {}

    /** The caller owns the processor and closes it, which closes its models. */
    public static FaceProcessor processor(PipelineConfig config) {
        OnnxModel detector = OnnxModel.load(config.modelsDir(), DETECTOR_MODEL, config.onnxThreads());
        try {
            OnnxModel parser = OnnxModel.load(config.modelsDir(), PARSER_MODEL, config.onnxThreads());
            return new FaceProcessor(new BlobStore(config.storage()), detector, parser);
        } catch (RuntimeException e) {
            detector.close();
            throw e;
        }
    }

    public static StageRunner create(PipelineConfig config) {
        FaceProcessor processor = processor(config);
        try {
            return new StageRunner(
                    APPLICATION_ID,
                    FaceStageTopology.build(config.topics(), processor),
                    StreamsSettings.forStage(
                            APPLICATION_ID,
                            config.bootstrapServers(),
                            config.kafkaClient(),
                            config.stateDir(),
                            config.topics().deadLetter().name()),
                    processor);
        } catch (RuntimeException e) {
            processor.close();
            throw e;
        }
    }
}
