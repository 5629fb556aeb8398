package io.animegan.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.animegan.stylize.OutputSize;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Python anchor fits pictures as the service does, and is skipped with a reason where it cannot run. */
class PythonAnchorTest {

    static final int MAX_SIDE = 1920;
    /** Sizes around the rounding edges: halves, odd sides, past the maximum, tiny. */
    static final List<int[]> SIZES = List.of(
            new int[] {853, 1280},
            new int[] {900, 900},
            new int[] {1919, 1081},
            new int[] {4032, 3024},
            new int[] {3, 5000},
            new int[] {1924, 1924},
            new int[] {12, 20});

    @TempDir
    Path dir;

    @Test
    void theScriptFitsEverySizeAsOutputSizeDoes() throws Exception {
        String python = Optional.ofNullable(System.getenv("ANIMEGAN_PYTHON")).orElse("python3");
        assumeThat(runs(python))
                .as("no %s on this machine, so the script's fit is not checked", python)
                .isTrue();
        Path script = dir.resolve(PythonAnchor.SCRIPT);
        try (InputStream in = PythonAnchor.class.getResourceAsStream(PythonAnchor.SCRIPT)) {
            Files.copy(in, script);
        }
        StringBuilder code = new StringBuilder("import sys; sys.path.insert(0, sys.argv[1]); import anchor\n");
        for (int[] size : SIZES) {
            code.append(String.format("print(*anchor.fit(%d, %d, %d))%n", size[0], size[1], MAX_SIDE));
        }
        Process process = new ProcessBuilder(python, "-c", code.toString(), dir.toString())
                .redirectErrorStream(true)
                .start();
        List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .strip()
                .lines()
                .toList();
        assertThat(process.waitFor()).as(String.join("\n", lines)).isZero();
        List<String> expected = SIZES.stream()
                .map(size -> OutputSize.fit(size[0], size[1], MAX_SIDE))
                .map(fit -> fit.width() + " " + fit.height())
                .toList();
        assertThat(lines).isEqualTo(expected);
    }

    @Test
    void aMissingPythonIsSkippedWithTheReason() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertThat(PythonAnchor.find(dir.resolve("no-such-python").toString(), dir))
                    .isEmpty();
        } finally {
            System.setOut(out);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .startsWith("skipped: python anchor: no ")
                .contains("--python or ANIMEGAN_PYTHON");
    }

    private static boolean runs(String python) throws InterruptedException {
        try {
            return new ProcessBuilder(python, "--version").start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
