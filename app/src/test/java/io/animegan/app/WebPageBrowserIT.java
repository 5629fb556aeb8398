package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.animegan.common.config.PipelineConfig;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.MatScope;
import io.animegan.common.testing.TestAssets;
import io.animegan.face.FaceStageApp;
import io.animegan.ingest.IngestSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in a real headless Chromium (Debian's chromium and chromium-driver) against the
 * whole system in one JVM with the real models. One pipeline and one browser serve the class; the
 * tests run in order because later ones look at the pictures the first one finished. Photos are
 * small (512 px) to keep it quick.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebPageBrowserIT {

    static final Duration PICTURE_TIMEOUT = Duration.ofMinutes(3);
    /** The quickest generator, so the picked style costs the test little. */
    static final String PICKED_STYLE = "animeganv3-cute-tiny";

    @TempDir
    static Path dir;

    static EmbeddedPipeline pipeline;
    static ChromeDriver driver;
    static String base;
    static Path portrait;
    static Path group;
    static Path broken;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(
                Chromium.installed(),
                () -> "skipped: needs " + Chromium.BINARY + " and " + Chromium.DRIVER
                        + " (apt-get install chromium chromium-driver; .ci/run does)");
        TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL);
        TestAssets.requireModel(FaceStageApp.PARSER_MODEL);
        Path models = TestAssets.requireModel(PipelineConfig.DEFAULT_GENERATOR);
        portrait = smallCopy("portrait-headphones.jpg", "portrait.jpg");
        group = smallCopy("group-of-three.jpg", "group.jpg");
        byte[] whole = Files.readAllBytes(group);
        broken = Files.write(dir.resolve("broken.jpg"), Arrays.copyOf(whole, whole.length / 2));

        IngestSettings ingest = IngestSettings.defaults().withPort(0).withExamplesDir(TestAssets.samplesDir());
        pipeline = EmbeddedPipeline.start(dir.resolve("data"), ingest, models, PipelineConfig.DEFAULT_GENERATOR, 2);
        base = "http://localhost:" + pipeline.httpPort();

        driver = Chromium.start(dir);
        driver.manage().window().setSize(new Dimension(375, 900));
        driver.get(base + "/");
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

    /** The sample scaled to 512 px on its longest side, as a JPEG in the temp dir. */
    static Path smallCopy(String sample, String name) throws IOException {
        try (MatScope scope = new MatScope()) {
            Mat photo = scope.own(ImageCodec.decode(TestAssets.sampleBytes(sample)));
            double scale = 512.0 / Math.max(photo.cols(), photo.rows());
            Mat small = scope.newMat();
            Imgproc.resize(
                    photo,
                    small,
                    new Size(Math.round(photo.cols() * scale), Math.round(photo.rows() * scale)),
                    0,
                    0,
                    Imgproc.INTER_AREA);
            return Files.write(dir.resolve(name), ImageCodec.encodeJpeg(small, 90));
        }
    }

    @Test
    @Order(0)
    void theEmptyPageHasNoSeriousAccessibilityViolations() {
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(d -> d.findElement(By.id("styles")).isDisplayed()
                        && d.findElement(By.id("examples")).isDisplayed());
        Axe.assertNoSeriousViolations(driver, "the empty page");
    }

    @Test
    @Order(1)
    void twoPhotosThroughTheFileInputShowTheirStagesLiveAndFinish() throws Exception {
        // Pick a style in the picker, as a person would: its label (thumbnail and name) is the target.
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(d -> d.findElement(By.id("styles")).isDisplayed());
        driver.findElement(By.cssSelector("label[for='style-" + PICKED_STYLE + "']"))
                .click();
        assertThat(driver.findElement(By.id("style-" + PICKED_STYLE)).isSelected())
                .isTrue();
        recordProgress();
        driver.findElement(By.id("files")).sendKeys(portrait + "\n" + group);

        List<WebElement> cards = driver.findElements(By.cssSelector("#cards .card"));
        assertThat(cards).hasSize(2);
        awaitCards("done", 2);

        Map<String, List<Long>> seen = progressSeen();
        System.out.println("progress values seen per card: " + seen);
        for (WebElement card : cards) {
            List<Long> values = seen.get(card.getAttribute("data-id"));
            assertThat(values)
                    .as("aria-valuenow of %s", card.getAttribute("data-id"))
                    .isSortedAccordingTo(Long::compare);
            assertThat(values).last().isEqualTo(100L);
            assertThat(values).as("at least one stage between upload and done").anyMatch(v -> v > 3 && v < 100);
            assertThat(card.findElement(By.cssSelector(".stage-words")).getText())
                    .startsWith("Done in");
            WebElement result = card.findElement(By.cssSelector("img.after"));
            assertThat(result.getAttribute("src")).endsWith("/api/images/" + card.getAttribute("data-id") + "/result");
            assertThat(((Number) js("return arguments[0].naturalWidth", result)).intValue())
                    .isPositive();
        }
        assertThat(cards.get(1).findElement(By.cssSelector(".stage-words")).getText())
                .contains("3 faces");
        for (WebElement card : cards) {
            HttpResponse<String> status = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/images/" + card.getAttribute("data-id")))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(status.body())
                    .as("the picked style is the one drawn")
                    .contains("\"style\":\"" + PICKED_STYLE + "\"");
        }
        assertNoHorizontalScroll();
        js("arguments[0].scrollIntoView()", cards.get(0));
        Chromium.screenshot(driver, "webpage-375");
    }

    @Test
    @Order(2)
    void theFinishedPhotoCardsHaveNoSeriousAccessibilityViolations() {
        assertThat(driver.findElements(By.cssSelector("#cards .card.done"))).hasSize(2);
        Axe.assertNoSeriousViolations(driver, "the page with two finished photo cards");
    }

    @Test
    @Order(3)
    void theBeforeAfterSliderMovesByKeyboardAndByDrag() {
        WebElement card =
                driver.findElements(By.cssSelector("#cards .card.done")).get(0);
        WebElement slider = card.findElement(By.cssSelector(".slider"));
        WebElement frame = card.findElement(By.cssSelector(".frame"));
        js("arguments[0].scrollIntoView({block: 'center'})", frame);
        js("arguments[0].focus()", slider);
        slider.sendKeys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT);
        assertThat(slider.getAttribute("value")).isEqualTo("53");
        assertThat(js("return arguments[0].style.getPropertyValue('--pos')", frame))
                .isEqualTo("53%");

        int width = frame.getSize().getWidth();
        new Actions(driver)
                .moveToElement(frame, -width / 4, 0)
                .clickAndHold()
                .moveByOffset(-width / 8, 0)
                .release()
                .perform();
        int dragged = Integer.parseInt(slider.getAttribute("value"));
        System.out.println("slider after dragging to 1/8 of the width: " + dragged);
        assertThat(dragged).isBetween(5, 25);
        assertThat(js("return arguments[0].style.getPropertyValue('--pos')", frame))
                .isEqualTo(dragged + "%");
    }

    @Test
    @Order(4)
    void downloadsAndTheZipOfBothPicturesAnswer200() throws Exception {
        WebElement card =
                driver.findElements(By.cssSelector("#cards .card.done")).get(0);
        HttpResponse<byte[]> png =
                get(card.findElement(By.cssSelector(".download-png")).getAttribute("href"));
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
        HttpResponse<byte[]> jpeg =
                get(card.findElement(By.cssSelector(".download-jpeg")).getAttribute("href"));
        assertThat(jpeg.statusCode()).isEqualTo(200);
        assertThat(jpeg.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(jpeg.headers().firstValue("Content-Disposition").orElse("")).contains("portrait.anime.jpg");

        WebElement zip = driver.findElement(By.id("zip"));
        assertThat(zip.isDisplayed()).isTrue();
        HttpResponse<byte[]> archive = get(zip.getAttribute("href"));
        assertThat(archive.statusCode()).isEqualTo(200);
        assertThat(zipEntries(archive.body())).containsExactly("portrait.anime.png", "group.anime.png");
    }

    @Test
    @Order(5)
    void aTruncatedJpegShowsWhatWentWrongInPlainWordsWithARetryButton() {
        driver.findElement(By.id("files")).sendKeys(broken.toString());
        awaitCards("failed", 1);
        WebElement card = driver.findElement(By.cssSelector("#cards .card.failed"));
        WebElement failure = card.findElement(By.cssSelector(".failure"));
        assertThat(failure.isDisplayed()).isTrue();
        assertThat(failure.findElement(By.cssSelector(".error")).getText()).contains("damaged or incomplete");
        assertThat(failure.findElement(By.cssSelector(".error-detail")).getText())
                .contains("looking for faces");
        assertThat(failure.findElement(By.cssSelector(".retry")).isDisplayed()).isTrue();
        assertThat(card.findElement(By.cssSelector(".badge")).getText()).isEqualTo("Failed");
        Axe.assertNoSeriousViolations(driver, "the page with a failed photo card");
    }

    @Test
    @Order(6)
    void aWaitingQueueShowsPositionsAndEtasThatCountDown() {
        driver.findElement(By.id("clear")).click();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            paths.add(i % 2 == 0 ? portrait.toString() : group.toString());
        }
        driver.findElement(By.id("files")).sendKeys(String.join("\n", paths));
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(d -> waitingTexts().size() >= 2);
        List<String> first = waitingTexts();
        // The page counts the ETAs down each second, between the server's events.
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(d -> !waitingTexts().equals(first));
        List<String> later = waitingTexts();
        System.out.println("queue texts: " + first + " then " + later);
        assertThat(first).allMatch(t -> t.matches("Waiting in line: #\\d+ · about (\\d+ min )?\\d+ s left"));
        // Positions count the whole service's backlog, and a card shows its place only once its upload
        // is acknowledged, so which numbers appear depends on timing; that pictures queue behind others does not.
        List<Integer> positions = first.stream()
                .map(t -> Integer.parseInt(t.replaceAll("^Waiting in line: #(\\d+).*$", "$1")))
                .toList();
        assertThat(positions).anyMatch(p -> p >= 2);
        assertThat(later).as("countdown between events").isNotEqualTo(first);
        awaitCards("done", 4);
    }

    @Test
    @Order(7)
    void noHorizontalScrollAt375Or1440AndNoConsoleErrors() {
        assertNoHorizontalScroll();
        driver.manage().window().setSize(new Dimension(1440, 1000));
        js("window.scrollTo(0, 0)");
        assertNoHorizontalScroll();
        Chromium.screenshot(driver, "webpage-1440");

        List<String> errors = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.WARNING.intValue()) {
                errors.add(entry.getMessage());
            }
        }
        assertThat(errors).isEmpty();
    }

    // ---- helpers ----

    /** Records every aria-valuenow each card's progress bar takes, by the card's image id. */
    private static void recordProgress() {
        js("""
        window.__progress = {};
        new MutationObserver(records => records.forEach(r => {
          const card = r.target.closest('.card');
          const key = card.dataset.id || 'pending-' + Array.from(card.parentNode.children).indexOf(card);
          (window.__progress[key] = window.__progress[key] || []).push(Number(r.target.getAttribute('aria-valuenow')));
        })).observe(document.getElementById('cards'), {subtree: true, attributes: true, attributeFilter: ['aria-valuenow']});
        """);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<Long>> progressSeen() {
        return (Map<String, List<Long>>) js("return window.__progress");
    }

    private static List<String> waitingTexts() {
        return driver.findElements(By.cssSelector("#cards .card:not(.done):not(.failed) .stage-text")).stream()
                .map(WebElement::getText)
                .filter(t -> t.startsWith("Waiting in line") && t.contains("left"))
                .toList();
    }

    private static void awaitCards(String state, int count) {
        new WebDriverWait(driver, PICTURE_TIMEOUT, Duration.ofMillis(200))
                .until(d ->
                        d.findElements(By.cssSelector("#cards .card." + state)).size() >= count);
    }

    private static void assertNoHorizontalScroll() {
        long scrollWidth = ((Number) js("return document.documentElement.scrollWidth")).longValue();
        long innerWidth = ((Number) js("return window.innerWidth")).longValue();
        assertThat(scrollWidth).as("page width at a %d px window", innerWidth).isLessThanOrEqualTo(innerWidth);
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private static HttpResponse<byte[]> get(String url) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static List<String> zipEntries(byte[] zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                assertThat(in.readAllBytes()).as(entry.getName()).isNotEmpty();
                names.add(entry.getName());
            }
        }
        return names;
    }
}
