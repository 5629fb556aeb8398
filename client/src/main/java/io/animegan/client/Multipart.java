package io.animegan.client;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
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
    /** A file streamed from disk after the encoded body's last part headers, or null when every part is in the body. */
    private final Path streamed;

    private Multipart(MultipartBody body, Path streamed) {
        this.body = body;
        this.streamed = streamed;
    }

    /** The form fields first, then each file as a part named {@code file}. */
    public static Multipart of(List<AnimeganClient.Part> files, Map<String, String> fields) {
        MultipartBody.Builder builder = new MultipartBody.Builder().setType(MultipartBody.FORM);
        fields.forEach(builder::addFormDataPart);
        for (AnimeganClient.Part file : files) {
            builder.addFormDataPart("file", file.fileName(), RequestBody.create(file.bytes(), OCTET_STREAM));
        }
        return new Multipart(builder.build(), null);
    }

    /**
     * The form fields, then one file part named {@code file} whose bytes are read from disk while
     * the request is sent, so a large file (a video clip) is never held in memory.
     */
    public static Multipart ofFile(Path file, Map<String, String> fields) {
        MultipartBody.Builder builder = new MultipartBody.Builder().setType(MultipartBody.FORM);
        fields.forEach(builder::addFormDataPart);
        builder.addFormDataPart("file", file.getFileName().toString(), RequestBody.create(new byte[0], OCTET_STREAM));
        return new Multipart(builder.build(), file);
    }

    /** {@code multipart/form-data; boundary=...} */
    public String contentType() {
        return body.contentType().toString();
    }

    /**
     * The encoded body with its length (no chunked encoding); a file of {@link #ofFile} is read
     * while the request is sent, again on every attempt.
     *
     * @throws FileNotFoundException when that file is not there
     */
    public HttpRequest.BodyPublisher publisher() throws FileNotFoundException {
        byte[] encoded = encoded();
        if (streamed == null) {
            return HttpRequest.BodyPublishers.ofByteArray(encoded);
        }
        // The file part is the last one and was encoded empty: its bytes go between its headers and the closing
        // boundary.
        int tail = ("\r\n--" + body.boundary() + "--\r\n").length();
        return HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofByteArray(encoded, 0, encoded.length - tail),
                HttpRequest.BodyPublishers.ofFile(streamed),
                HttpRequest.BodyPublishers.ofByteArray(encoded, encoded.length - tail, tail));
    }

    private byte[] encoded() {
        Buffer buffer = new Buffer();
        try {
            body.writeTo(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.readByteArray();
    }
}
