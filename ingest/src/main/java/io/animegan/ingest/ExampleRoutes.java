package io.animegan.ingest;

import io.animegan.common.image.ImageCodec;
import io.animegan.common.image.MatScope;
import io.animegan.submission.ApiException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Example photos the page offers to try: {@code GET /api/examples} lists the pictures in the
 * configured folder, {@code GET /api/examples/{name}} serves one and
 * {@code GET /api/examples/{name}/thumbnail} a small JPEG of it. Only plain picture files directly
 * inside the folder are served, by a validated name; nothing else on the disk is reachable.
 */
public final class ExampleRoutes {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,100}");
    static final Map<String, String> TYPES = Map.of(
            "jpg", "image/jpeg", "jpeg", "image/jpeg", "png", "image/png", "webp", "image/webp", "bmp", "image/bmp");
    static final int THUMBNAIL_SIDE = 192;

    private final Path dir;
    private final Map<String, byte[]> thumbnails = new ConcurrentHashMap<>();

    /** One example as listed. */
    public record Example(String name, String url, String thumbnail) {}

    public record ExampleList(List<Example> examples) {}

    /** @param dir the examples folder; null or missing: no examples */
    public ExampleRoutes(Path dir) {
        this.dir = dir == null ? null : dir.toAbsolutePath().normalize();
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/examples", ctx -> ctx.json(new ExampleList(list())));
        routes.get("/api/examples/{name}", this::serve);
        routes.get("/api/examples/{name}/thumbnail", this::thumbnail);
    }

    List<Example> list() {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(ExampleRoutes::servable)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .map(n -> new Example(n, "/api/examples/" + n, "/api/examples/" + n + "/thumbnail"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the examples folder", e);
        }
    }

    private static boolean servable(Path file) {
        String name = file.getFileName().toString();
        return NAME.matcher(name).matches()
                && TYPES.containsKey(extension(name))
                && Files.isRegularFile(file)
                && !Files.isSymbolicLink(file);
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The file named {@code name} directly inside the folder, or 404. */
    Path find(String name) {
        if (dir == null || name == null || !NAME.matcher(name).matches()) {
            throw ApiException.notFound("no example " + (name == null ? "" : "'" + name + "'"));
        }
        Path file = dir.resolve(name).normalize();
        if (!dir.equals(file.getParent()) || !servable(file)) {
            throw ApiException.notFound("no example '" + name + "'");
        }
        return file;
    }

    private void serve(Context ctx) throws IOException {
        Path file = find(ctx.pathParam("name"));
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.contentType(TYPES.get(extension(file.getFileName().toString()))).result(Files.readAllBytes(file));
    }

    private void thumbnail(Context ctx) {
        Path file = find(ctx.pathParam("name"));
        byte[] jpeg = thumbnails.computeIfAbsent(file.getFileName().toString(), n -> shrink(file));
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.contentType("image/jpeg").result(jpeg);
    }

    private static byte[] shrink(Path file) {
        try (MatScope scope = new MatScope()) {
            Mat picture = scope.own(ImageCodec.decode(Files.readAllBytes(file)));
            double scale = Math.min(1.0, (double) THUMBNAIL_SIDE / Math.max(picture.cols(), picture.rows()));
            Mat small = scope.newMat();
            Imgproc.resize(
                    picture,
                    small,
                    new Size(Math.round(picture.cols() * scale), Math.round(picture.rows() * scale)),
                    0,
                    0,
                    Imgproc.INTER_AREA);
            return ImageCodec.encodeJpeg(small, 82);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read example " + file.getFileName(), e);
        }
    }
}
