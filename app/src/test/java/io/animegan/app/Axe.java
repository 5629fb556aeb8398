package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;

/**
 * axe-core (from npm: {@code .ci/run} installs it, Maven passes the path of {@code axe.min.js} as
 * {@value #PROPERTY}) run in the page under test: no serious or critical WCAG 2.1 A/AA violation.
 */
final class Axe {

    static final String PROPERTY = "animegan.axe.js";
    static final String INSTALL =
            "npm install --prefix .ci/node --no-save --no-audit --no-fund axe-core@4 (.ci/run does it)";

    private static final String RUN = """
            const done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
              .then(results => done(results.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({id: v.id, impact: v.impact, help: v.help,
                            targets: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}))),
                    error => done([{id: 'axe-error', impact: 'critical', help: String(error), targets: []}]));
            """;

    private Axe() {}

    /** Injects axe-core once per page load and fails naming each serious or critical violation. */
    static void assertNoSeriousViolations(JavascriptExecutor page, String what) {
        if (!Boolean.TRUE.equals(page.executeScript("return typeof window.axe === 'object'"))) {
            page.executeScript(source());
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> violations = (List<Map<String, Object>>) page.executeAsyncScript(RUN);
        System.out.println("axe on " + what + ": " + violations.size() + " serious or critical violations");
        assertThat(violations)
                .as("axe-core: serious or critical WCAG 2.1 A/AA violations on %s", what)
                .isEmpty();
    }

    private static String source() {
        String path = System.getProperty(PROPERTY);
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            fail("axe-core is missing (" + PROPERTY + " = " + path + "): install it with " + INSTALL);
        }
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
