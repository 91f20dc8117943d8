package dev.llmgateway.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An upstream that resets the TCP connection (RST, not a clean close) at the point its model name says:
 * {@code reset-before-answer}, {@code reset-mid-body} (after half a JSON answer) or {@code reset-mid-stream}
 * (after two SSE chunks).
 */
final class ResettingUpstream {

    private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern LENGTH = Pattern.compile("(?i)content-length:\\s*(\\d+)");
    private static ResettingUpstream shared;

    private final ServerSocket server;

    private ResettingUpstream() throws IOException {
        server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "resetting-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static synchronized ResettingUpstream shared() {
        if (shared == null) {
            try {
                shared = new ResettingUpstream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread handler = new Thread(() -> answer(socket), "resetting-upstream-exchange");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void answer(Socket socket) {
        try (socket) {
            String model = model(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            switch (model) {
                case "reset-mid-body" -> write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n"
                        + "{\"id\":\"chatcmpl-reset\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"mess");
                case "reset-mid-stream" -> {
                    write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
                    for (String word : new String[]{"partial ", "answer "}) {
                        String event = "data: {\"id\":\"chatcmpl-reset\",\"object\":\"chat.completion.chunk\",\"model\":\"" + model
                                + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + word + "\"},\"finish_reason\":null}]}\n\n";
                        write(out, Integer.toHexString(event.length()) + "\r\n" + event + "\r\n");
                        Thread.sleep(30);
                    }
                }
                default -> {
                    // reset-before-answer: nothing at all
                }
            }
            socket.setSoLinger(true, 0); // closing now sends RST
        } catch (IOException | InterruptedException e) {
            // the gateway went away first: nothing to reset
        }
    }

    /** Reads the request head and body; returns the model it names. */
    private static String model(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return "";
            }
            head.append((char) b);
        }
        Matcher length = LENGTH.matcher(head);
        byte[] body = in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
        Matcher model = MODEL.matcher(new String(body, StandardCharsets.UTF_8));
        return model.find() ? model.group(1) : "";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
