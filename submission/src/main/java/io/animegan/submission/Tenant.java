package io.animegan.submission;

import io.animegan.status.ImageStatus;
import java.util.regex.Pattern;

/**
 * Who a request acts for. Every image, job, result and event stream belongs to one tenant, and
 * another tenant's id reads exactly as an unknown one. A token names its tenant
 * ({@code tenant:token} in the tokens file); with tokens off every client is {@link #ANONYMOUS}.
 *
 * @param id lower-case letters, digits, '-' and '_', at most 64: it becomes part of object keys
 */
public record Tenant(String id) {

    // Before the constants below: static fields initialise in order, and their constructor uses it.
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /** The one tenant of a service that runs without tokens. */
    public static final Tenant ANONYMOUS = new Tenant(ImageStatus.ANONYMOUS_TENANT);
    /** The tenant of a configured token that names none (a line with no colon). */
    public static final Tenant DEFAULT = new Tenant("default");

    public Tenant {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    "a tenant id is 1-64 of a-z, 0-9, '-' and '_', starting with a letter or " + "digit, not '" + id
                            + "'");
        }
    }
}
