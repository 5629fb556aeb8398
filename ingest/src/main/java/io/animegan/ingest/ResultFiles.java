package io.animegan.ingest;

import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.Keys;
import io.animegan.events.BlobRef;
import io.animegan.status.ImageStatus;
import io.animegan.status.ImageStatus.Phase;
import io.animegan.status.ResultFile;
import io.animegan.status.ServedResults;
import io.animegan.status.StatusStore;
import io.animegan.status.TenantStatuses;
import io.animegan.status.VideoStatus;
import io.animegan.submission.ApiException;
import io.animegan.submission.Tenant;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Finished pictures as files to keep: {@code GET /api/images/{id}/download?format=png|jpeg} (as an
 * attachment named after the upload, converted when the stored format differs) and
 * {@code GET /api/results.zip?ids=a,b,c}, a ZIP of the finished ones among the given images,
 * streamed entry by entry straight to the response.
 */
public final class ResultFiles {

    /** Most images one ZIP may hold. */
    public static final int MAX_ZIP_IDS = ProgressRoutes.MAX_IDS;

    private final StatusStore feed;
    private final BlobStore store;
    private final TenantStatuses tenants;

    public ResultFiles(StatusStore feed, BlobStore store) {
        this.feed = feed;
        this.store = store;
        this.tenants = new TenantStatuses(store);
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/images/{id}/download", this::download);
        routes.get("/api/results.zip", this::zip);
    }

    private void download(Context ctx) {
        ImageStatus status = done(ctx.pathParam("id"), RequestTenant.of(ctx));
        String format = format(ctx.queryParam("format"), status);
        byte[] bytes = ResultFile.converted(status, store.get(ResultRefs.result(status, store.bucket())), format);
        attachment(ctx, ResultFile.fileName(status, format));
        ctx.contentType(ResultFile.contentType(format)).result(bytes);
    }

    private void zip(Context ctx) throws IOException {
        zip(ctx, ProgressRoutes.ids(ctx.queryParam("ids")), "animegan-results.zip");
    }

    /**
     * Streams a ZIP of the caller's finished pictures among {@code ids}; 404 when none of them is
     * the caller's (unknown and other tenants' ids alike), 409 when none of them is finished.
     */
    void zip(Context ctx, Collection<String> ids, String fileName) throws IOException {
        zip(ctx, ids, List.of(), fileName);
    }

    /** As {@link #zip(Context, Collection, String)}, with the finished clips among {@code videoIds} as MP4 entries. */
    void zip(Context ctx, Collection<String> ids, Collection<String> videoIds, String fileName) throws IOException {
        Tenant tenant = RequestTenant.of(ctx);
        List<ImageStatus> visible = new ArrayList<>();
        for (String id : ids) {
            tenants.find(id, tenant.id(), feed::find).ifPresent(visible::add);
        }
        List<VideoStatus> visibleClips = new ArrayList<>();
        for (String id : videoIds) {
            tenants.findVideo(id, tenant.id(), feed::findVideo).ifPresent(visibleClips::add);
        }
        if (!(ids.isEmpty() && videoIds.isEmpty()) && visible.isEmpty() && visibleClips.isEmpty()) {
            throw notFound(ids.isEmpty() ? videoIds : ids);
        }
        List<ImageStatus> done = visible.stream()
                .filter(s -> s.phase() == Phase.DONE)
                .filter(s -> ServedResults.refusal(s.id(), s.result(), s.resultContentType(), store.bucket())
                        .isEmpty())
                .toList();
        List<StoredClip> doneClips = visibleClips.stream()
                .filter(v -> v.phase() == Phase.DONE)
                .flatMap(v ->
                        store.stat(Keys.result(v.id(), "mp4")).stream().map(info -> new StoredClip(v, info.size())))
                .toList();
        if (done.isEmpty() && doneClips.isEmpty()) {
            throw new ApiException(409, "none of these images is done yet");
        }
        attachment(ctx, fileName);
        ctx.contentType("application/zip");
        Set<String> names = new HashSet<>();
        OutputStream out = ctx.outputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.NO_COMPRESSION); // PNG, JPEG and MP4 are compressed already
            for (ImageStatus status : done) {
                zip.putNextEntry(new ZipEntry(
                        ResultFile.unique(names, ResultFile.fileName(status, ResultFile.storedFormat(status)))));
                zip.write(store.get(ResultRefs.result(status, store.bucket())));
                zip.closeEntry();
            }
            for (StoredClip clip : doneClips) {
                zip.putNextEntry(new ZipEntry(ResultFile.unique(names, VideoRoutes.fileName(clip.status()))));
                // A clip is streamed from storage, never held whole.
                BlobRef result =
                        new BlobRef(store.bucket(), Keys.result(clip.status().id(), "mp4"));
                try (InputStream in = store.open(result, 0, clip.size())) {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
        }
    }

    /** A finished clip and the size of its stored result. */
    private record StoredClip(VideoStatus status, long size) {}

    /** The answer for ids none of which the caller may see: the same whether they are unknown or another tenant's. */
    static ApiException notFound(Collection<String> ids) {
        return ApiException.notFound(
                ids.size() == 1 ? "no image " + ids.iterator().next() : "none of these images exists");
    }

    private ImageStatus done(String id, Tenant tenant) {
        return ResultRefs.requireDone(
                tenants.find(id, tenant.id(), feed::find).orElseThrow(() -> ApiException.notFound("no image " + id)));
    }

    private static String format(String asked, ImageStatus status) {
        if (asked == null || asked.isBlank()) {
            return ResultFile.storedFormat(status);
        }
        return switch (asked.strip().toLowerCase(Locale.ROOT)) {
            case "png" -> "png";
            case "jpeg", "jpg" -> "jpeg";
            default -> throw ApiException.badRequest("format must be png or jpeg");
        };
    }

    /** Names the download, in ASCII for old clients and in UTF-8 for the rest. */
    static void attachment(Context ctx, String name) {
        String ascii = name.replaceAll("[^\\x20-\\x7e]", "_");
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        ctx.header("Content-Disposition", "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded);
    }
}
