package io.animegan.status;

import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.BlobStore.BlobInfo;
import io.animegan.common.storage.Keys;
import io.animegan.events.StoredVideoStatus;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Statuses as one tenant may see them. Another tenant's picture reads exactly as an unknown id
 * (both make the same storage call, so neither the answer nor its time tells them apart). And an
 * id ingest answered 202 for reads as queued until the status store has folded its submission, on
 * any instance: the original is stored before the 202, with its tenant in the object's metadata.
 */
public final class TenantStatuses {

    /** User metadata of a stored original: who uploaded it, and its display name (URL-encoded). */
    public static final String TENANT_METADATA = "tenant";

    public static final String NAME_METADATA = "name";
    /** User metadata of a stored clip's original ({@value #VIDEO_KIND}); a picture's has none. */
    public static final String KIND_METADATA = "kind";

    public static final String VIDEO_KIND = "video";
    /** What an image id may look like; anything else is unknown without a lookup. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final BlobStore store;

    public TenantStatuses(BlobStore store) {
        this.store = store;
    }

    /**
     * The image's status if {@code tenant} (its id) may see it.
     *
     * @param stored the status store's lookup (it may throw {@code StatusUnavailableException})
     */
    public Optional<ImageStatus> find(String id, String tenant, Function<String, Optional<ImageStatus>> stored) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        Optional<ImageStatus> status = stored.apply(id);
        String owner = status.map(ImageStatus::owner).orElse(null);
        if (owner != null && owner.equals(tenant)) {
            return status;
        }
        // An unknown id costs this storage call; another tenant's id makes the same one, then reads as unknown.
        Optional<BlobInfo> original = store.stat(Keys.original(id));
        if (owner != null) {
            return Optional.empty();
        }
        // Not folded yet (or only a later stage's event was): the stored original says whose it is.
        return original.filter(info -> tenant.equals(info.metadata().get(TENANT_METADATA)))
                .filter(info -> !isVideo(info))
                .map(info ->
                        status.map(s -> s.ofTenant(tenant, info.size())).orElseGet(() -> queued(id, tenant, info)));
    }

    /**
     * The clip's status if {@code tenant} may see it, as {@link #find} for pictures: another
     * tenant's clip reads as an unknown id, and one not folded yet reads as queued.
     */
    public Optional<VideoStatus> findVideo(String id, String tenant, Function<String, Optional<VideoStatus>> stored) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        Optional<VideoStatus> status = stored.apply(id);
        String owner = status.map(VideoStatus::owner).orElse(null);
        if (owner != null && owner.equals(tenant)) {
            return status;
        }
        Optional<BlobInfo> original = store.stat(Keys.original(id));
        if (owner != null) {
            return Optional.empty();
        }
        return original.filter(info -> tenant.equals(info.metadata().get(TENANT_METADATA)))
                .filter(TenantStatuses::isVideo)
                .map(info -> queuedVideo(status.orElseGet(() -> VideoStatus.unknown(id)), tenant, info));
    }

    private static boolean isVideo(BlobInfo original) {
        return VIDEO_KIND.equals(original.metadata().get(KIND_METADATA));
    }

    /** A clip whose submission the status store has not folded yet: what its original says, over what is folded. */
    private static VideoStatus queuedVideo(VideoStatus folded, String tenant, BlobInfo original) {
        StoredVideoStatus v = folded.stored();
        v.setName(displayName(original));
        v.setTenant(tenant);
        v.setSizeBytes(original.size());
        return new VideoStatus(v);
    }

    private static String displayName(BlobInfo original) {
        String name = original.metadata().get(NAME_METADATA);
        return name == null ? null : URLDecoder.decode(name, StandardCharsets.UTF_8);
    }

    /** A picture whose submission the status store has not folded yet. */
    private static ImageStatus queued(String id, String tenant, BlobInfo original) {
        return ImageStatus.builder(id)
                .name(displayName(original))
                .tenant(tenant)
                .sizeBytes(original.size())
                .build();
    }
}
