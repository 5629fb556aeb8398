package io.animegan.ingest;

import io.animegan.common.trace.Telemetry;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * A SERVER span per HTTP request ({@code POST /api/images}), current while the request is handled,
 * so the pictures it submits are its children. A {@code traceparent} the client sends is continued.
 * Registered before every other handler, ended after the last (Javalin runs after-handlers also
 * when a handler threw).
 */
final class HttpTracing {

    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    private static final String ATTRIBUTE = HttpTracing.class.getName();

    private static final TextMapGetter<Context> REQUEST_HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Context ctx) {
            return ctx.headerMap().keySet();
        }

        @Override
        public String get(Context ctx, String key) {
            return ctx == null ? null : ctx.header(key);
        }
    };

    /** The request's span and the scope that makes it current on the thread that opened it. */
    private record Open(Span span, Scope scope, Thread thread) {}

    private HttpTracing() {}

    static void install(JavalinConfig cfg) {
        cfg.routes.before(HttpTracing::start);
        cfg.routes.after(HttpTracing::end);
    }

    private static void start(Context ctx) {
        // The client's context, else none: never a context left on this pooled thread by another request.
        io.opentelemetry.context.Context parent =
                Telemetry.propagator().extract(io.opentelemetry.context.Context.root(), ctx, REQUEST_HEADERS);
        String method = ctx.method().name();
        Span span = Telemetry.tracer()
                .spanBuilder(method)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, method)
                .setAttribute(PATH, ctx.path())
                .startSpan();
        ctx.attribute(ATTRIBUTE, new Open(span, parent.with(span).makeCurrent(), Thread.currentThread()));
    }

    private static void end(Context ctx) {
        Open open = ctx.attribute(ATTRIBUTE);
        if (open == null) {
            return;
        }
        ctx.attribute(ATTRIBUTE, null);
        Span span = open.span();
        String route = route(ctx);
        int status = ctx.statusCode();
        if (route != null) {
            span.setAttribute(ROUTE, route);
            span.updateName(ctx.method().name() + " " + route);
        }
        span.setAttribute(STATUS, (long) status);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
        if (open.thread() == Thread.currentThread()) {
            open.scope().close();
        }
    }

    /** The matched route's template (ids stay out of it), or null (static files, 404s). */
    static String route(Context ctx) {
        try {
            Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
            return endpoint == null ? null : endpoint.path;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
