package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.testing.TestAssets;
import io.animegan.ingest.IngestSettings;
import io.animegan.video.PipelineClips;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A clip through the web page in headless Chromium against the whole system in one JVM with the
 * real models: the upload, progress that rises, the result playing, the switch to the original,
 * the download, a damaged clip's error, and axe-core on the page with the video cards. The tests run in order on the one
 * clip the first one finishes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VideoPageBrowserIT {

    static final Duration CLIP_TIMEOUT = Duration.ofMinutes(5);
    /** The quickest generator, so drawing the clip costs the test little. */
    static final String PICKED_STYLE = "animeganv3-cute-tiny";
    /** Baseline H.264, what the service writes. */
    static final String H264 = "video/mp4; codecs=\"avc1.42E01E\"";

    static final int WIDTH = 320;
    static final int HEIGHT = 240;
    static final double FPS = 25;
    static final int FRAMES = 63;

    @TempDir
    static Path dir;

    static EmbeddedPipeline pipeline;
    static ChromeDriver driver;
    static String base;
    static Path clip;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(
                Chromium.installed(),
                () -> "skipped: needs " + Chromium.BINARY + " and " + Chromium.DRIVER
                        + " (apt-get install chromium chromium-driver; .ci/run does)");
        Path models = TestAssets.requireModel(PipelineConfig.DEFAULT_GENERATOR);
        TestAssets.requireModel(PICKED_STYLE + ".onnx");
        clip = PipelineClips.withSound(dir.resolve("pattern.mp4"), WIDTH, HEIGHT, FPS, FRAMES);

        IngestSettings ingest = IngestSettings.defaults().withPort(0);
        pipeline = EmbeddedPipeline.start(dir.resolve("data"), ingest, models, PipelineConfig.DEFAULT_GENERATOR, 2);
        base = "http://localhost:" + pipeline.httpPort();

        driver = Chromium.start(dir);
        driver.manage().window().setSize(new Dimension(375, 900));
        driver.get(base + "/");
        assertThat(js("return document.createElement('video').canPlayType(arguments[0])", H264))
                .as(
                        "this Chromium cannot play H.264 in MP4 (%s), which the service writes: "
                                + "Debian's chromium package can",
                        H264)
                .isIn("probably", "maybe");
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

    @Test
    @Order(1)
    void aClipThroughTheFileInputShowsRisingProgressThenPlaysItsResult() {
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(d -> d.findElement(By.id("styles")).isDisplayed());
        driver.findElement(By.cssSelector("label[for='style-" + PICKED_STYLE + "']"))
                .click();
        recordProgress();
        driver.findElement(By.id("files")).sendKeys(clip.toString());

        WebElement card = driver.findElement(By.cssSelector("#cards .video-card"));
        new WebDriverWait(driver, CLIP_TIMEOUT, Duration.ofMillis(200))
                .until(d -> card.getAttribute("class").contains("done")
                        || card.getAttribute("class").contains("failed"));
        System.out.println("video card texts seen: " + js("return window.__texts"));
        assertThat(card.getAttribute("class"))
                .as(
                        "the clip finished: %s",
                        card.findElement(By.cssSelector(".failure")).getText())
                .contains("done");

        List<Long> progress = longs(js("return window.__progress"));
        System.out.println("video progress values seen: " + progress);
        assertThat(progress).isSortedAccordingTo(Long::compare);
        assertThat(progress).last().isEqualTo(100L);
        assertThat(progress).as("progress between upload and done").anyMatch(v -> v > 3 && v < 100);
        assertThat(card.findElement(By.cssSelector(".frames-count")).getText())
                .isEqualTo("Frames " + FRAMES + " / " + FRAMES);
        assertThat(card.findElement(By.cssSelector(".stage-words")).getText()).contains("with sound");

        WebElement result = card.findElement(By.cssSelector("video.clip"));
        String id = card.getAttribute("data-id");
        assertThat(result.getAttribute("src")).endsWith("/api/videos/" + id + "/result");
        assertThat(result.isDisplayed()).isTrue();
        js("arguments[0].muted = true; arguments[0].play()", result);
        new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(100))
                .until(d -> ((Number) js("return arguments[0].currentTime", result)).doubleValue() > 0.5);
        assertThat(((Number) js("return arguments[0].videoWidth", result)).intValue())
                .isEqualTo(WIDTH);
        assertThat(((Number) js("return arguments[0].duration", result)).doubleValue())
                .isCloseTo(FRAMES / FPS, within(2 / FPS));
        js("arguments[0].pause()", result);
        js("arguments[0].scrollIntoView()", card);
        Chromium.screenshot(driver, "videopage-375");
    }

    @Test
    @Order(2)
    void theSwitchShowsTheOriginalFromTheLocalFileAtTheSameMoment() {
        WebElement card = driver.findElement(By.cssSelector("#cards .video-card.done"));
        WebElement result = card.findElement(By.cssSelector("video.clip"));
        WebElement original = card.findElement(By.cssSelector("video.original"));
        WebElement compare = card.findElement(By.cssSelector("input.compare"));
        assertThat(original.isDisplayed()).isFalse();
        js("arguments[0].currentTime = 1.2", result);
        js("arguments[0].focus()", compare);
        compare.sendKeys(Keys.SPACE);

        assertThat(compare.isSelected()).isTrue();
        assertThat(original.isDisplayed()).isTrue();
        assertThat(result.isDisplayed()).isFalse();
        assertThat(original.getAttribute("src")).startsWith("blob:");
        assertThat(((Number) js("return arguments[0].currentTime", original)).doubleValue())
                .isCloseTo(1.2, within(0.05));
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(d -> ((Number) js("return arguments[0].videoWidth", original)).intValue() == WIDTH);

        compare.sendKeys(Keys.SPACE);
        assertThat(result.isDisplayed()).isTrue();
        assertThat(original.isDisplayed()).isFalse();
    }

    @Test
    @Order(3)
    void theDownloadIsTheMp4AsAnAttachment() throws Exception {
        WebElement link = driver.findElement(By.cssSelector("#cards .video-card.done .download-video"));
        assertThat(link.isDisplayed()).isTrue();
        assertThat(link.getAttribute("download")).isEqualTo("pattern.anime.mp4");
        HttpResponse<byte[]> download = http.send(
                HttpRequest.newBuilder(URI.create(link.getAttribute("href"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(download.headers().firstValue("Content-Disposition").orElse(""))
                .startsWith("attachment");
        byte[] body = download.body();
        assertThat(new String(Arrays.copyOfRange(body, 4, 8), StandardCharsets.US_ASCII))
                .as("an MP4 starts with its ftyp box")
                .isEqualTo("ftyp");
        System.out.println("downloaded clip: " + body.length + " bytes");
    }

    @Test
    @Order(4)
    void aTruncatedClipShowsItsErrorCodeAndMessageWithARetryButton() throws IOException {
        Path broken = PipelineClips.truncated(clip, dir.resolve("broken.mp4"));
        driver.findElement(By.id("files")).sendKeys(broken.toString());
        new WebDriverWait(driver, CLIP_TIMEOUT, Duration.ofMillis(200))
                .until(d -> !d.findElements(By.cssSelector("#cards .video-card.failed"))
                        .isEmpty());
        WebElement failure = driver.findElement(By.cssSelector("#cards .video-card.failed .failure"));
        String detail = failure.findElement(By.cssSelector(".error-detail")).getText();
        System.out.println(
                "failed clip: " + failure.findElement(By.cssSelector(".error")).getText() + " / " + detail);
        assertThat(detail).as("the error's code and message").matches("[A-Z][A-Z_]+: .+");
        assertThat(failure.findElement(By.cssSelector(".retry")).isDisplayed()).isTrue();
    }

    @Test
    @Order(5)
    void thePageWithVideoCardsHasNoSeriousAccessibilityViolations() {
        assertThat(driver.findElements(By.cssSelector("#cards .video-card.done")))
                .hasSize(1);
        assertThat(driver.findElements(By.cssSelector("#cards .video-card.failed")))
                .hasSize(1);
        Axe.assertNoSeriousViolations(driver, "the page with a finished and a failed video card");
    }

    @Test
    @Order(6)
    void noHorizontalScrollAt375AndNoConsoleErrors() {
        long scrollWidth = ((Number) js("return document.documentElement.scrollWidth")).longValue();
        long innerWidth = ((Number) js("return window.innerWidth")).longValue();
        assertThat(scrollWidth).as("page width at a %d px window", innerWidth).isLessThanOrEqualTo(innerWidth);
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.WARNING.intValue()) {
                errors.add(entry.getMessage());
            }
        }
        assertThat(errors).isEmpty();
    }

    // ---- helpers ----

    /** Records each aria-valuenow of the video card's bar, and each text its counts and words show. */
    private static void recordProgress() {
        js("""
        window.__progress = [];
        window.__texts = [];
        new MutationObserver(records => records.forEach(r => {
          const card = r.target.nodeType === 1 ? r.target.closest('.video-card') : r.target.parentNode.closest('.video-card');
          if (!card) return;
          if (r.type === 'attributes') window.__progress.push(Number(r.target.getAttribute('aria-valuenow')));
          const text = card.querySelector('.stage-text').textContent + ' | ' + card.querySelector('.counts').textContent;
          if (window.__texts[window.__texts.length - 1] !== text) window.__texts.push(text);
        })).observe(document.getElementById('cards'),
          {subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['aria-valuenow']});
        """);
    }

    private static List<Long> longs(Object values) {
        List<Long> out = new ArrayList<>();
        for (Object value : (List<?>) values) {
            out.add(((Number) value).longValue());
        }
        return out;
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }
}
