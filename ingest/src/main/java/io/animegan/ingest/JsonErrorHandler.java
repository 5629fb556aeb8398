package io.animegan.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.animegan.ingest.ApiViews.ErrorResponse;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before a request reaches Javalin (a request line or headers too
 * long, an unparseable URI): JSON like every other error, with the same security headers,
 * instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback)
            throws java.io.IOException {
        String reason = HttpStatus.getMessage(code);
        String text = switch (code) {
            case 414 -> "request URI too long";
            case 431 -> "request headers too large";
            default -> reason == null ? "request refused" : reason.toLowerCase(java.util.Locale.ROOT);
        };
        byte[] body = JSON.writeValueAsBytes(new ErrorResponse(text));
        SecurityHeaders.apply(null, (name, value) -> response.getHeaders().put(name, value));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
