package dev.llmgateway.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** HTTP/1.1 written byte for byte: request targets no HTTP client would send as they are (encoded slashes, backslashes). */
final class RawSocket {

    /** @param status 0 when the server closed the connection without an answer */
    record Answer(int status, String head, String body) {
        boolean answered() {
            return status > 0;
        }

        /** The first value of a header, or null. */
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private RawSocket() {
    }

    static Answer exchange(URL base, String method, String target, Map<String, String> headers, String body) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(base.getPort()).append("\r\nConnection: close\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            request.append("Content-Length: ").append(content.length).append("\r\n");
        }
        request.append("\r\n");
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), base.getPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            return parse(readAll(socket.getInputStream()));
        } catch (SocketTimeoutException e) {
            throw new AssertionError(method + " " + target + ": no answer within 15 s", e);
        } catch (IOException e) {
            return new Answer(0, "", e.toString()); // reset or closed: refused, which is no answer at all
        }
    }

    /** One answer with a Content-Length read from a connection kept open for the next request. */
    static Answer readOne(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return new Answer(0, "", "closed after " + head.size() + " bytes");
            }
            head.write(b);
        }
        Answer headOnly = parse(head.toString(StandardCharsets.ISO_8859_1));
        byte[] body = in.readNBytes(Integer.parseInt(headOnly.header("Content-Length")));
        return new Answer(headOnly.status(), headOnly.head(), new String(body, StandardCharsets.UTF_8));
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            bytes.write(buffer, 0, n);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Answer parse(String response) {
        int end = response.indexOf("\r\n\r\n");
        if (!response.startsWith("HTTP/1.") || end < 0) {
            return new Answer(0, "", response);
        }
        String head = response.substring(0, end);
        return new Answer(Integer.parseInt(head.substring(9, 12)), head, response.substring(end + 4));
    }
}
