package io.animegan.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.client.AnimeganClient;
import io.animegan.common.config.PipelineConfig;
import io.animegan.common.config.Topic;
import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.ImageException;
import io.animegan.common.image.OpenCv;
import io.animegan.common.stage.ErrorCode;
import io.animegan.common.testing.TestAssets;
import io.animegan.common.testing.TopicRecords;
import io.animegan.face.FaceStageApp;
import io.animegan.ingest.IngestSettings;
import io.animegan.ingest.contract.ContractProxy;
import io.animegan.ingest.contract.ContractValidator;
import io.animegan.submission.RateLimit;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Bad input never stops anything: a corpus of bad uploads, generated here, goes through the
 * whole embedded system (real broker, S3 server, stages and models). Each kind is either refused
 * at ingest with a 4xx and a JSON error, or fails with a named stage and error code, or completes
 * correctly; a valid picture sent after every few bad ones still completes. Undeserialisable
 * records on the stages' topics go to the dead-letter topic and the stages go on.
 */
class BadInputCorpusIT {

    static final long MAX_UPLOAD = 2L * 1024 * 1024;
    static final int MAX_FILES = 5;
    static final Duration TIMEOUT = Duration.ofMinutes(3);
    static final ObjectMapper JSON = new ObjectMapper();
    /** The pipeline requires a token, so every request here also shows the token path end to end. */
    static final String TOKEN = "corpus-" + UUID.randomUUID();

    @TempDir
    static Path dataDir;

    static EmbeddedPipeline pipeline;
    static HttpClient http;
    static String base;

    @BeforeAll
    static void start() {
        OpenCv.load();
        TestAssets.requireModel(FaceStageApp.DETECTOR_MODEL);
        TestAssets.requireModel(FaceStageApp.PARSER_MODEL);
        Path models = TestAssets.requireModel(PipelineConfig.DEFAULT_GENERATOR);
        IngestSettings settings = new IngestSettings(0, MAX_UPLOAD)
                .withMaxFilesPerRequest(MAX_FILES)
                .withRateLimit(RateLimit.OFF)
                .withApiTokens(List.of(TOKEN));
        pipeline = EmbeddedPipeline.start(dataDir, settings, models, PipelineConfig.DEFAULT_GENERATOR, 2);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        base = "http://127.0.0.1:" + pipeline.httpPort();
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    // ---------------------------------------------------------------- the corpus

    /** What one kind of bad input must come to. */
    sealed interface Expect {}

    /** Refused at ingest: this status and a JSON error mentioning each word. */
    record Refused(int status, String... mentions) implements Expect {}

    /** Accepted, then failed by this stage with this error code. */
    record Fails(String stage, ErrorCode code) implements Expect {}

    /** Accepted and done; the check sees the final status and the decoded result. */
    record Completes(ResultCheck check) implements Expect {}

    interface ResultCheck {
        void verify(JsonNode status, Mat result);
    }

    record Case(String kind, Multipart request, Expect expect) {}

    /** Small, fast pictures: faces off unless they matter, tiny output. */
    static Multipart one(String name, byte[] bytes) {
        return new Multipart().file(name, bytes).field("faces", "false").field("maxSide", "128");
    }

    static List<Case> corpus() {
        byte[] jpeg = jpeg(picture(160, 120), 90);
        byte[] png = ImageCodec.encodePng(picture(160, 120));
        Random random = new Random(7);
        byte[] noise = new byte[4096];
        random.nextBytes(noise);
        List<Case> cases = new ArrayList<>();
        Consumer<Case> add = cases::add;

        add.accept(new Case("empty file", one("empty.jpg", new byte[0]), new Refused(415)));
        add.accept(new Case("random bytes", one("noise.jpg", noise), new Refused(415, "noise.jpg")));
        add.accept(
                new Case("plain text", one("notes.png", utf8("just some notes, not a picture\n")), new Refused(415)));
        add.accept(new Case(
                "HTML",
                one("page.jpg", utf8("<!doctype html><html><body><script>alert(1)</script></body></html>")),
                new Refused(415)));
        add.accept(new Case(
                "SVG",
                one(
                        "vector.svg",
                        utf8("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"
                                + "<rect width=\"10\" height=\"10\"/></svg>")),
                new Refused(415)));
        add.accept(new Case("GIF", one("anim.gif", imageIo(indexed(64, 48), "gif")), new Refused(415)));
        add.accept(new Case("TIFF", one("scan.tiff", imageIo(rgb(64, 48), "tiff")), new Refused(415)));
        add.accept(new Case("HEIC (ftyp heic)", one("phone.heic", heic()), new Refused(415)));

        add.accept(new Case("JPEG cut after 2 bytes", one("cut2.jpg", Arrays.copyOf(jpeg, 2)), new Refused(415)));
        add.accept(new Case(
                "JPEG cut before its frame header", one("cut100.jpg", Arrays.copyOf(jpeg, 100)), new Refused(415)));
        add.accept(new Case(
                "JPEG cut in half",
                one("half.jpg", Arrays.copyOf(jpeg, jpeg.length / 2)),
                new Fails("face", ErrorCode.CORRUPT_IMAGE)));
        add.accept(new Case(
                "JPEG without its last bytes",
                one("end.jpg", Arrays.copyOf(jpeg, jpeg.length - 2)),
                new Fails("face", ErrorCode.CORRUPT_IMAGE)));
        add.accept(new Case(
                "JPEG with a corrupted middle",
                one("smeared.jpg", corruptMiddle(jpeg(noisePicture(320, 240), 90))),
                new Fails("face", ErrorCode.CORRUPT_IMAGE)));
        add.accept(new Case("PNG cut after 16 bytes", one("cut16.png", Arrays.copyOf(png, 16)), new Refused(415)));
        add.accept(new Case(
                "PNG cut after its header",
                one("cut40.png", Arrays.copyOf(png, 40)),
                new Fails("face", ErrorCode.CORRUPT_IMAGE)));
        add.accept(new Case(
                "PNG cut in half",
                one("half.png", Arrays.copyOf(png, png.length / 2)),
                new Fails("face", ErrorCode.CORRUPT_IMAGE)));

        add.accept(new Case(
                "bomb by header (60000x60000 PNG)",
                one("bomb.png", pngBombHeader(60_000, 60_000)),
                new Refused(413, "60000x60000", "pixels")));
        byte[] realBomb = realPngBomb(10_000, 10_000);
        add.accept(new Case(
                "real bomb (10000x10000 PNG, " + realBomb.length / 1024 + " KB)",
                one("real-bomb.png", realBomb),
                new Refused(413, "10000x10000")));

        add.accept(new Case("1x1 JPEG", one("dot.jpg", jpeg(picture(1, 1), 90)), new Completes((s, r) -> {
            assertThat(r.cols()).isPositive();
            assertThat(r.rows()).isPositive();
        })));
        add.accept(new Case(
                "10000x8 PNG", one("strip.png", ImageCodec.encodePng(picture(10_000, 8))), new Completes((s, r) -> {
                    assertThat(r.cols()).isLessThanOrEqualTo(128);
                    assertThat(r.cols()).isGreaterThan(r.rows() * 8);
                })));
        add.accept(new Case("grayscale JPEG", one("grey.jpg", jpeg(greyPicture(), 90)), landscape()));
        add.accept(new Case("CMYK JPEG", one("print.jpg", cmykJpeg(160, 120)), landscape()));
        add.accept(new Case("16-bit PNG", one("deep.png", png16()), landscape()));
        add.accept(new Case("alpha PNG", one("alpha.png", pngWithAlpha()), landscape()));
        add.accept(new Case("palette PNG", one("palette.png", imageIo(indexed(160, 120), "png")), landscape()));
        for (int orientation = 1; orientation <= 8; orientation++) {
            add.accept(new Case(
                    "EXIF orientation " + orientation,
                    one("exif-" + orientation + ".jpg", exifPicture(orientation)),
                    new Completes(BadInputCorpusIT::uprightWithRedTopLeft)));
        }

        byte[] oversize = Arrays.copyOf(jpeg, (int) MAX_UPLOAD + 1);
        add.accept(new Case("over-size file", one("big.jpg", oversize), new Refused(413, "big.jpg")));
        Multipart many = new Multipart();
        for (int i = 0; i <= MAX_FILES; i++) {
            many.file("many-" + i + ".jpg", jpeg);
        }
        add.accept(new Case("too many files", many, new Refused(413, "files")));

        add.accept(new Case("path traversal name", one("../../etc/passwd", jpeg), named("passwd")));
        add.accept(new Case(
                "very long name",
                one("a".repeat(5000) + ".jpg", jpeg),
                new Completes((s, r) ->
                        assertThat(s.path("name").asText()).hasSize(200).startsWith("aaa"))));
        // Raw control bytes in a part header are refused by Jetty's multipart parser; a tab and a
        // right-to-left override pass it: the tab arrives as a space, the override is stripped.
        add.accept(new Case(
                "control bytes in the name", one("evil\u0001\u0007name\u001b[31m.jpg", jpeg), new Refused(400)));
        add.accept(new Case(
                "tab and bidi override in the name",
                one("evil\tname\u202Egpj.exe.jpg", jpeg),
                named("evil namegpj.exe.jpg"))); // Jetty reads the tab as header whitespace
        add.accept(new Case("unicode name", one("写真 🎌 фото.jpg", jpeg), named("写真 🎌 фото.jpg")));

        add.accept(new Case(
                "maxSide not a number",
                new Multipart().file("x.jpg", jpeg).field("maxSide", "big"),
                new Refused(400, "maxSide", "integer")));
        add.accept(new Case(
                "maxSide duplicated", one("x.jpg", jpeg).field("maxSide", "256"), new Refused(400, "more than once")));
        add.accept(new Case(
                "faces neither true nor false",
                new Multipart().file("x.jpg", jpeg).field("faces", "maybe"),
                new Refused(400, "faces")));
        add.accept(new Case("unknown format", one("x.jpg", jpeg).field("format", "gif"), new Refused(400, "format")));
        add.accept(new Case("unknown style", one("x.jpg", jpeg).field("style", "shinkai"), new Refused(400, "style")));
        add.accept(new Case(
                "face strength out of range", one("x.jpg", jpeg).field("skin", "NaN"), new Refused(400, "skin")));
        add.accept(new Case("no file part", new Multipart().field("faces", "false"), new Refused(400, "file")));
        add.accept(new Case(
                "file part without a file name", new Multipart().part("file", null, jpeg), new Refused(400, "file")));
        add.accept(new Case(
                "not multipart",
                Multipart.raw("application/json", utf8("{\"file\":\"x\"}")),
                new Refused(400, "multipart")));
        add.accept(new Case(
                "broken multipart",
                Multipart.raw("multipart/form-data; boundary=zzz", utf8("--zzz\r\ngarbage")),
                new Refused(400)));
        return cases;
    }

    // ---------------------------------------------------------------- the tests

    @Test
    void everyKindOfBadInputIsRefusedOrFailedCleanlyAndValidPicturesKeepCompleting() throws Exception {
        List<Case> cases = corpus();
        assertThat(cases.stream().map(Case::kind).distinct()).hasSizeGreaterThanOrEqualTo(30);
        Map<String, String> accepted = new LinkedHashMap<>(); // kind -> id
        List<String> valid = new ArrayList<>();
        Map<String, String> outcomes = new LinkedHashMap<>();
        int sent = 0;
        for (Case c : cases) {
            HttpResponse<byte[]> response;
            try {
                response = send(c.request());
            } catch (IOException e) {
                throw new AssertionError(c.kind() + ": no answer", e);
            }
            if (c.expect() instanceof Refused refused) {
                assertRefused(c.kind(), response, refused);
                outcomes.put(
                        c.kind(),
                        response.statusCode() + " "
                                + json(response).path("error").asText());
            } else {
                assertThat(response.statusCode())
                        .as(c.kind() + ": " + text(response))
                        .isEqualTo(202);
                accepted.put(
                        c.kind(),
                        json(response).path("images").get(0).path("id").asText());
            }
            if (++sent % 5 == 0) {
                valid.add(acceptedId(send(one("valid-" + sent + ".jpg", jpeg(picture(200, 150), 90)))));
            }
        }

        for (Case c : cases) {
            String id = accepted.get(c.kind());
            if (id == null) {
                continue;
            }
            JsonNode status = awaitFinished(id);
            String error = status.path("error").asText();
            if (c.expect() instanceof Fails fails) {
                assertThat(status.path("status").asText())
                        .as(c.kind() + " " + status)
                        .isEqualTo("failed");
                assertThat(error).as(c.kind()).startsWith(fails.stage() + ": " + fails.code() + ":");
                outcomes.put(c.kind(), "202, then failed: " + error);
            } else if (c.expect() instanceof Completes completes) {
                assertThat(status.path("status").asText())
                        .as(c.kind() + " " + status)
                        .isEqualTo("done");
                Mat result = result(id);
                completes.check().verify(status, result);
                outcomes.put(c.kind(), "202, then done " + result.cols() + "x" + result.rows());
            }
        }
        for (String id : valid) {
            assertThat(awaitFinished(id).path("status").asText())
                    .as("valid picture " + id)
                    .isEqualTo("done");
        }
        System.out.println("bad-input corpus: " + cases.size() + " kinds, " + valid.size()
                + " valid pictures in between, all done");
        outcomes.forEach((kind, outcome) -> System.out.printf("  %-40s %s%n", kind, outcome));
    }

    @Test
    void aRealBombIsRefusedByTheStagesToo() {
        assertThat(catchCode(() -> ImageCodec.decode(realPngBomb(10_000, 10_000))))
                .isEqualTo(ErrorCode.IMAGE_TOO_LARGE);
    }

    @Test
    void undeserialisableRecordsGoToTheDeadLetterTopicAndTheStagesGoOn() throws Exception {
        PipelineConfig config = pipeline.config();
        List<Topic<?>> inputs = List.of(
                config.topics().submitted(),
                config.topics().facesDetected(),
                config.topics().stylized());
        Map<String, RecordMetadata> sent = new LinkedHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (Topic<?> topic : inputs) {
                byte[] garbage = utf8("not an event at all: " + topic.name());
                sent.put(
                        topic.name(),
                        producer.send(new ProducerRecord<>(topic.name(), utf8("garbage-" + UUID.randomUUID()), garbage))
                                .get());
            }
        }

        Map<String, ConsumerRecord<byte[], byte[]>> dead =
                awaitDeadLetters(config.topics().deadLetter().name(), sent.keySet());
        for (var entry : sent.entrySet()) {
            ConsumerRecord<byte[], byte[]> record = dead.get(entry.getKey());
            assertThat(new String(record.value(), StandardCharsets.UTF_8))
                    .isEqualTo("not an event at all: " + entry.getKey());
            assertThat(header(record, "__streams.errors.topic")).isEqualTo(entry.getKey());
            assertThat(header(record, "__streams.errors.partition"))
                    .isEqualTo(String.valueOf(entry.getValue().partition()));
            assertThat(header(record, "__streams.errors.offset"))
                    .isEqualTo(String.valueOf(entry.getValue().offset()));
            assertThat(header(record, "__streams.errors.exception")).isNotBlank();
            assertThat(header(record, "__streams.errors.message")).isNotBlank();
        }

        // Each stage went on: a picture through all three completes (sent as the CLI's client sends it).
        try (ContractProxy contract = ContractProxy.to(base)) {
            AnimeganClient client = new AnimeganClient(contract.url(), TOKEN);
            assertThat(new AnimeganClient(contract.url())
                            .upload("no-token.jpg", jpeg(picture(200, 150), 90), Map.of())
                            .status())
                    .isEqualTo(401);
            String id = AnimeganClient.imageId(client.upload(
                    "after-garbage.jpg", jpeg(picture(200, 150), 90), Map.of("faces", "false", "maxSide", "128")));
            assertThat(client.awaitFinished(id, TIMEOUT).path("status").asText())
                    .isEqualTo("done");
            contract.assertNoMismatches();
        }
    }

    // ---------------------------------------------------------------- checks

    static void assertRefused(String kind, HttpResponse<byte[]> response, Refused refused) {
        assertThat(response.statusCode()).as(kind + ": " + text(response)).isEqualTo(refused.status());
        assertThat(response.headers().firstValue("Content-Type").orElse(""))
                .as(kind)
                .startsWith("application/json");
        String error = json(response).path("error").asText();
        assertThat(error).as(kind).isNotBlank();
        for (String mention : refused.mentions()) {
            assertThat(error).as(kind).contains(mention);
        }
    }

    static Completes landscape() {
        return new Completes((status, result) -> {
            assertThat(result.channels()).isEqualTo(3);
            assertThat(result.cols()).isGreaterThan(result.rows());
        });
    }

    static Completes named(String expected) {
        return new Completes(
                (status, result) -> assertThat(status.path("name").asText()).isEqualTo(expected));
    }

    /** The picture shows upright: wider than tall, with its red mark top left. */
    static void uprightWithRedTopLeft(JsonNode status, Mat result) {
        assertThat(result.cols()).as("upright width").isGreaterThan(result.rows());
        int w = result.cols() / 4;
        int h = result.rows() / 4;
        double topLeft = redness(result, new Rect(0, 0, w, h));
        double[] others = {
            redness(result, new Rect(result.cols() - w, 0, w, h)),
            redness(result, new Rect(0, result.rows() - h, w, h)),
            redness(result, new Rect(result.cols() - w, result.rows() - h, w, h))
        };
        for (double other : others) {
            assertThat(topLeft)
                    .as("red corner top left, corners " + topLeft + " " + Arrays.toString(others))
                    .isGreaterThan(other + 40);
        }
    }

    /** Mean of red minus the mean of blue and green, over a region of a BGR picture. */
    static double redness(Mat bgr, Rect region) {
        Scalar mean = Core.mean(bgr.submat(region));
        return mean.val[2] - (mean.val[0] + mean.val[1]) / 2;
    }

    static ErrorCode catchCode(Runnable action) {
        try {
            action.run();
            return null;
        } catch (ImageException e) {
            return e.code();
        }
    }

    // ---------------------------------------------------------------- generated pictures

    /** A landscape picture with some structure: blue-grey, a darker band, a bright disc. */
    static Mat picture(int width, int height) {
        Mat m = new Mat(height, width, CvType.CV_8UC3, new Scalar(170, 140, 110));
        org.opencv.imgproc.Imgproc.rectangle(
                m, new Rect(0, height / 2, width, Math.max(1, height / 4)), new Scalar(60, 90, 80), -1);
        org.opencv.imgproc.Imgproc.circle(
                m,
                new org.opencv.core.Point(width * 0.7, height * 0.3),
                Math.max(1, height / 6),
                new Scalar(220, 230, 250),
                -1);
        return m;
    }

    static Mat noisePicture(int width, int height) {
        Mat m = new Mat(height, width, CvType.CV_8UC3);
        Core.setRNGSeed(3);
        Core.randu(m, 0, 255);
        return m;
    }

    static Mat greyPicture() {
        Mat grey = new Mat();
        org.opencv.imgproc.Imgproc.cvtColor(picture(160, 120), grey, org.opencv.imgproc.Imgproc.COLOR_BGR2GRAY);
        return grey;
    }

    static byte[] jpeg(Mat picture, int quality) {
        return ImageCodec.encodeJpeg(picture, quality);
    }

    static byte[] png16() {
        Mat deep = new Mat();
        picture(160, 120).convertTo(deep, CvType.CV_16UC3, 257);
        MatOfByte out = new MatOfByte();
        Imgcodecs.imencode(".png", deep, out);
        byte[] bytes = out.toArray();
        assertThat(bytes[24]).as("bit depth").isEqualTo((byte) 16);
        return bytes;
    }

    static byte[] pngWithAlpha() {
        Mat bgra = new Mat();
        org.opencv.imgproc.Imgproc.cvtColor(picture(160, 120), bgra, org.opencv.imgproc.Imgproc.COLOR_BGR2BGRA);
        bgra.submat(new Rect(0, 0, 80, 120)).setTo(new Scalar(170, 140, 110, 0)); // left half transparent
        byte[] bytes = ImageCodec.encodePng(bgra);
        assertThat(bytes[25]).as("colour type RGBA").isEqualTo((byte) 6);
        return bytes;
    }

    static BufferedImage rgb(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(110, 140, 170));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(80, 90, 60));
        g.fillRect(0, height / 2, width, height / 4);
        g.dispose();
        return image;
    }

    static BufferedImage indexed(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED);
        Graphics2D g = image.createGraphics();
        g.drawImage(rgb(width, height), 0, 0, null);
        g.dispose();
        return image;
    }

    static byte[] imageIo(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            assertThat(ImageIO.write(image, format, out))
                    .as("ImageIO writes " + format)
                    .isTrue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A four-component (CMYK) JPEG, as print workflows make them, written by ImageIO from a raster. */
    static byte[] cmykJpeg(int width, int height) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setPixel(x, y, new int[] {40, 20, y < height / 2 ? 0 : 120, 30});
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(raster, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        byte[] bytes = out.toByteArray();
        assertThat(componentsOfFrame(bytes)).as("components").isEqualTo(4);
        return bytes;
    }

    static int componentsOfFrame(byte[] jpeg) {
        for (int i = 2; i + 9 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) >= 0xC0 && (jpeg[i + 1] & 0xFF) <= 0xC2) {
                return jpeg[i + 9];
            }
        }
        return -1;
    }

    /** The start of an iPhone photo: an ISO-BMFF ftyp box with brand heic, then junk. */
    static byte[] heic() {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putInt(24).put(utf8("ftypheic")).putInt(0).put(utf8("mif1heic"));
        b.putInt(64).put(utf8("meta"));
        return b.array();
    }

    /** Random bytes over a block in the middle of the entropy-coded data. */
    static byte[] corruptMiddle(byte[] jpeg) {
        byte[] corrupted = jpeg.clone();
        Random random = new Random(11);
        for (int i = jpeg.length / 2; i < jpeg.length / 2 + 1500; i++) {
            corrupted[i] = (byte) random.nextInt(256);
        }
        return corrupted;
    }

    /** A well-formed PNG that claims a size it does not have. */
    static byte[] pngBombHeader(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(
                out,
                "IHDR",
                ByteBuffer.allocate(13)
                        .putInt(width)
                        .putInt(height)
                        .put((byte) 8)
                        .put((byte) 0)
                        .put((byte) 0)
                        .put((byte) 0)
                        .put((byte) 0)
                        .array());
        chunk(out, "IDAT", deflate(new byte[64], 64));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** A genuine, complete greyscale PNG of width x height black pixels: tiny compressed, huge decoded. */
    static byte[] realPngBomb(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(
                out,
                "IHDR",
                ByteBuffer.allocate(13)
                        .putInt(width)
                        .putInt(height)
                        .put((byte) 8)
                        .put((byte) 0)
                        .put((byte) 0)
                        .put((byte) 0)
                        .put((byte) 0)
                        .array());
        chunk(out, "IDAT", deflate(new byte[width + 1], height)); // each row: filter byte 0, then zeros
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    static byte[] deflate(byte[] row, int rows) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(compressed, new Deflater(9), 1 << 16)) {
            for (int i = 0; i < rows; i++) {
                z.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return compressed.toByteArray();
    }

    static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * A JPEG whose pixels are stored turned so that the given EXIF orientation shows them upright:
     * 192x128 upright, red top-left corner.
     */
    static byte[] exifPicture(int orientation) {
        Mat upright = new Mat(128, 192, CvType.CV_8UC3, new Scalar(150, 140, 130));
        upright.submat(new Rect(0, 0, 64, 43)).setTo(new Scalar(0, 0, 255));
        Mat stored = new Mat();
        switch (orientation) {
            case 1 -> upright.copyTo(stored);
            case 2 -> Core.flip(upright, stored, 1);
            case 3 -> Core.flip(upright, stored, -1);
            case 4 -> Core.flip(upright, stored, 0);
            case 5 -> Core.transpose(upright, stored);
            case 6 -> Core.rotate(upright, stored, Core.ROTATE_90_COUNTERCLOCKWISE);
            case 7 -> {
                Core.transpose(upright, stored);
                Core.flip(stored, stored, -1);
            }
            case 8 -> Core.rotate(upright, stored, Core.ROTATE_90_CLOCKWISE);
            default -> throw new IllegalArgumentException("orientation " + orientation);
        }
        return withExifOrientation(jpeg(stored, 95), orientation);
    }

    /** Inserts an EXIF APP1 segment with one Orientation tag right after the SOI marker. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(26);
        tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8); // big-endian TIFF header, first IFD at 8
        tiff.putShort((short) 1); // one entry
        tiff.putShort((short) 0x0112)
                .putShort((short) 3)
                .putInt(1)
                .putShort((short) orientation)
                .putShort((short) 0);
        tiff.putInt(0); // no next IFD
        byte[] exif = ByteBuffer.allocate(6 + 26)
                .put(utf8("Exif"))
                .put(new byte[2])
                .put(tiff.array())
                .array();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        out.write(0xFF);
        out.write(0xE1);
        out.writeBytes(
                ByteBuffer.allocate(2).putShort((short) (exif.length + 2)).array());
        out.writeBytes(exif);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- HTTP and Kafka plumbing

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + text(response), e);
        }
    }

    /** Every answer, refusals included, is checked against the OpenAPI document. */
    static HttpResponse<byte[]> send(Multipart body) throws IOException, InterruptedException {
        return ContractValidator.instance()
                .check(http.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/images"))
                                .header("Content-Type", body.contentType())
                                .header("Authorization", "Bearer " + TOKEN)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
    }

    static HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return ContractValidator.instance()
                .check(http.send(
                        HttpRequest.newBuilder(URI.create(base + path))
                                .header("Authorization", "Bearer " + TOKEN)
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
    }

    static String acceptedId(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(text(response)).isEqualTo(202);
        return json(response).path("images").get(0).path("id").asText();
    }

    static JsonNode awaitFinished(String id) {
        return json(Awaitility.await("image " + id + " finished")
                .atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> get("/api/images/" + id),
                        response -> response.statusCode() == 200
                                && List.of("done", "failed")
                                        .contains(json(response).path("status").asText())));
    }

    static Mat result(String id) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = get("/api/images/" + id + "/result");
        assertThat(response.statusCode()).isEqualTo(200);
        return Imgcodecs.imdecode(new MatOfByte(response.body()), Imgcodecs.IMREAD_COLOR);
    }

    static Map<String, ConsumerRecord<byte[], byte[]>> awaitDeadLetters(String topic, java.util.Set<String> sources)
            throws InterruptedException {
        Map<String, ConsumerRecord<byte[], byte[]>> bySource = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = TopicRecords.fromBeginning(
                pipeline.config().bootstrapServers(),
                topic,
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicRecords.reading("dead letters from " + sources)
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> {
                        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                            bySource.put(header(record, "__streams.errors.topic"), record);
                        }
                        return bySource.keySet().containsAll(sources);
                    });
        }
        return bySource;
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A multipart/form-data body, or any raw body with its content type. */
    static final class Multipart {
        private final String boundary = "----corpus-" + UUID.randomUUID();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private String rawType;

        static Multipart raw(String contentType, byte[] body) {
            Multipart m = new Multipart();
            m.rawType = contentType;
            m.out.writeBytes(body);
            return m;
        }

        Multipart file(String fileName, byte[] content) {
            return part("file", fileName, content);
        }

        Multipart field(String name, String value) {
            return part(name, null, utf8(value));
        }

        Multipart part(String name, String fileName, byte[] content) {
            String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                    + (fileName != null
                            ? "; filename=\"" + fileName.replace("\"", "%22")
                                    + "\"\r\nContent-Type: application/octet-stream"
                            : "")
                    + "\r\n\r\n";
            out.writeBytes(utf8(head));
            out.writeBytes(content);
            out.writeBytes(utf8("\r\n"));
            return this;
        }

        String contentType() {
            return rawType != null ? rawType : "multipart/form-data; boundary=" + boundary;
        }

        byte[] bytes() {
            if (rawType != null) {
                return out.toByteArray();
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            all.writeBytes(out.toByteArray());
            all.writeBytes(utf8("--" + boundary + "--\r\n"));
            return all.toByteArray();
        }
    }
}
