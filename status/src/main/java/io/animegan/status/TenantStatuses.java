package io.animegan.status;

import io.animegan.common.storage.BlobStore;
import io.animegan.common.storage.BlobStore.BlobInfo;
import io.animegan.common.storage.Keys;
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
                .map(info ->
                        status.map(s -> s.ofTenant(tenant, info.size())).orElseGet(() -> queued(id, tenant, info)));
    }

    /** A picture whose submission the status store has not folded yet. */
    private static ImageStatus queued(String id, String tenant, BlobInfo original) {
        String name = original.metadata().get(NAME_METADATA);
        return ImageStatus.builder(id)
                .name(name == null ? null : URLDecoder.decode(name, StandardCharsets.UTF_8))
                .tenant(tenant)
                .sizeBytes(original.size())
                .build();
    }
}
