package io.animegan.tools.soak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.testing.TestAssets;
import io.animegan.face.FaceStageApp;
import io.animegan.tools.ToolsMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The soak command's whole path on a handful of small pictures, so it keeps working; no memory limits asserted. */
class SoakCommandIT {

    @Test
    void sendsPicturesThroughTheEmbeddedSystemAndReportsMemory() throws Exception {
        TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL);
        TestAssets.requireModel(FaceStageApp.PARSER_MODEL);
        Path models = TestAssets.requireModel(PipelineConfig.DEFAULT_GENERATOR);
        Path samples = TestAssets.requireSample("group-of-three.jpg").getParent();
        StringWriter out = new StringWriter();
        CommandLine command = ToolsMain.commandLine();
        command.setOut(new PrintWriter(out));

        int exit = command.execute(
                "soak",
                "--samples",
                samples.toString(),
                "--models",
                models.toString(),
                "--count",
                "3",
                "--max-side",
                "256",
                "--warm-up",
                "1",
                "--every",
                "1",
                "--in-flight",
                "2",
                "--partitions",
                "1",
                "--json");

        assertThat(exit).as(out.toString()).isZero();
        JsonNode report = new ObjectMapper().readTree(out.toString());
        assertThat(report.path("failed").asInt()).isZero();
        JsonNode samplesTaken = report.path("samples");
        assertThat(samplesTaken).hasSize(3);
        assertThat(samplesTaken.get(0).path("pictures").asInt()).isEqualTo(1);
        assertThat(samplesTaken.get(2).path("pictures").asInt()).isEqualTo(3);
        for (JsonNode sample : samplesTaken) {
            assertThat(sample.path("rss").asDouble())
                    .isGreaterThan(sample.path("heapAfterGc").asDouble())
                    .isPositive();
        }
        assertThat(report.path("rssSlope").isNumber()).as(report.toString()).isTrue();
    }
}
