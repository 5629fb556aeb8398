package io.animegan.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;
import okio.Buffer;

/**
 * A {@code multipart/form-data} body, encoded by OkHttp's {@link MultipartBody} (boundary, headers,
 * file names escaped its way), for a {@link java.net.http.HttpClient} request: the one multipart
 * encoder of the clients and tests.
 */
public final class Multipart {

    private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");

    private final MultipartBody body;

    private Multipart(MultipartBody body) {
        this.body = body;
    }

    /** The form fields first, then each file as a part named {@code file}. */
    public static Multipart of(List<AnimeganClient.Part> files, Map<String, String> fields) {
        MultipartBody.Builder builder = new MultipartBody.Builder().setType(MultipartBody.FORM);
        fields.forEach(builder::addFormDataPart);
        for (AnimeganClient.Part file : files) {
            builder.addFormDataPart("file", file.fileName(), RequestBody.create(file.bytes(), OCTET_STREAM));
        }
        return new Multipart(builder.build());
    }

    /** {@code multipart/form-data; boundary=...} */
    public String contentType() {
        return body.contentType().toString();
    }

    /** The encoded body, written when the request is sent, with its length (no chunked encoding). */
    public HttpRequest.BodyPublisher publisher() {
        long length;
        try {
            length = body.contentLength();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> {
                    Buffer buffer = new Buffer();
                    try {
                        body.writeTo(buffer);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return buffer.inputStream();
                }),
                length);
    }
}
