package dev.llmgateway.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback port where connecting never completes: it listens but never accepts, and its accept queue is kept
 * full, so the kernel drops new SYNs and a client's connect runs into its timeout.
 */
final class BlackHoledPort {

    private static BlackHoledPort shared;

    private final ServerSocket server;
    private final List<Socket> fillers = new ArrayList<>();

    private BlackHoledPort() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        for (int i = 0; i < 8; i++) {
            Socket filler = new Socket();
            try {
                filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 300);
                fillers.add(filler);
            } catch (SocketTimeoutException full) {
                filler.close();
                return;
            }
        }
        throw new IllegalStateException("the accept queue never filled up");
    }

    static synchronized BlackHoledPort shared() {
        if (shared == null) {
            try {
                shared = new BlackHoledPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/v1";
    }
}
