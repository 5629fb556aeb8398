package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.testing.TestAssets;
import io.animegan.ingest.IngestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page against a server that wants a token, in headless Chromium (no stages: only ingest): the
 * token is asked for once, becomes an HttpOnly cookie the page's scripts cannot read, and the
 * "Forget access token" button drops it.
 */
class WebPageTokenBrowserIT {

    static final String TOKEN = "browser-token-1234";

    @TempDir
    static Path dir;

    static EmbeddedPipeline pipeline;
    static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Chromium.installed(), () -> "skipped: needs chromium and chromium-driver");
        IngestSettings ingest = IngestSettings.defaults().withPort(0).withApiTokens(List.of(TOKEN));
        pipeline = EmbeddedPipeline.start(
                dir.resolve("data"),
                ingest,
                TestAssets.modelsDir(),
                PipelineConfig.DEFAULT_GENERATOR,
                1,
                EnumSet.noneOf(StageName.class));
        driver = Chromium.start(dir);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static Object script(String js) {
        return ((JavascriptExecutor) driver).executeAsyncScript(js);
    }

    private static long statusOf(String path) {
        return (Long) script("const done = arguments[arguments.length - 1];" + "fetch('" + path
                + "').then(r => done(r.status), () => done(-1));");
    }

    @Test
    void theTokenIsAskedOnceKeptInAnHttpOnlyCookieAndCanBeForgotten() {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        driver.get("http://localhost:" + pipeline.httpPort() + "/");
        wait.until(d -> d.findElement(By.id("token-dialog")).getAttribute("open") != null);
        assertThat(driver.findElement(By.id("forget-token")).isDisplayed()).isFalse();

        driver.findElement(By.id("token-input")).sendKeys(TOKEN);
        driver.findElement(By.cssSelector("#token-form button[type=submit]")).click();
        wait.until(d -> d.findElement(By.id("token-dialog")).getAttribute("open") == null);
        wait.until(d -> d.findElement(By.id("forget-token")).isDisplayed());

        // The API answers with the cookie alone, and page scripts cannot read it.
        assertThat(statusOf("/api/limits")).isEqualTo(200);
        assertThat((String) ((JavascriptExecutor) driver).executeScript("return document.cookie"))
                .doesNotContain(TOKEN);
        assertThat((String) ((JavascriptExecutor) driver).executeScript("return JSON.stringify(localStorage)"))
                .doesNotContain(TOKEN);

        driver.findElement(By.id("forget-token")).click();
        wait.until(d -> !d.findElement(By.id("forget-token")).isDisplayed());
        assertThat(statusOf("/api/limits")).isEqualTo(401);
    }
}
