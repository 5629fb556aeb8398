package io.animegan.ingest;

import io.animegan.ingest.contract.ContractValidator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.awaitility.Awaitility;

/**
 * Requests written byte for byte on a socket, for what {@link Http} cannot send: any Host header,
 * malformed paths and headers. One request per connection.
 */
final class RawHttp {

    /** Status, headers (lower-case names, as one block) and body of an answer. */
    record Answer(int status, String headers, String body) {
        String header(String name) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }
    }

    private RawHttp() {}

    /** @param head request line and headers, each line ending in CRLF, without the blank line */
    static Answer send(int port, String head, byte[] body) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            String fullHead = head + (body.length > 0 ? "Content-Length: " + body.length + "\r\n" : "")
                    + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(fullHead.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            Answer answer = parse(readAll(socket.getInputStream()));
            ContractValidator.instance().check(head, answer.status(), answer.headers(), answer.body());
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Answer get(int port, String path, String host) {
        return send(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n", new byte[0]);
    }

    /** Up to the end of the answer, or 15 s: an answer that never ends (an event stream) fails the test. */
    private static byte[] readAll(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        Awaitility.await("the end of the answer")
                .atMost(Duration.ofSeconds(15))
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1))
                .until(() -> {
                    int read = in.read(buffer);
                    if (read > 0) {
                        out.write(buffer, 0, read);
                    }
                    return read == -1;
                });
        return out.toByteArray();
    }

    private static Answer parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/") || end < 0) {
            throw new AssertionError("not an HTTP answer: " + text);
        }
        String head = text.substring(0, end);
        int status = Integer.parseInt(head.substring(9, 12));
        String body = text.substring(end + 4);
        String headers = head.substring(head.indexOf("\r\n") + 2);
        if (headers.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
            body = dechunk(body);
        }
        return new Answer(status, headers, body);
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(
                    chunked.substring(at, lineEnd).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
            at = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }
}
