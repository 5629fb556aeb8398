package io.animegan.ingest;

import io.animegan.submission.Tenant;
import io.javalin.http.Context;

/** The {@link Tenant} a request acts for, as {@link ApiGuard} attached it. */
final class RequestTenant {

    private static final String ATTRIBUTE = "animegan.tenant";

    private RequestTenant() {}

    /** The tenant {@link ApiGuard} found for this request; {@link Tenant#ANONYMOUS} where no guard ran. */
    static Tenant of(Context ctx) {
        Tenant tenant = ctx.attribute(ATTRIBUTE);
        return tenant == null ? Tenant.ANONYMOUS : tenant;
    }

    static void attach(Context ctx, Tenant tenant) {
        ctx.attribute(ATTRIBUTE, tenant);
    }
}
