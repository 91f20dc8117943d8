package dev.llmgateway.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The servers' way to the tests' PostgreSQL: a TCP relay that can hang, as a database host that accepts connections and
 * never answers does. Hung, it accepts new connections without answering and stops relaying on the open ones; resumed,
 * it closes what it held (their state is lost, as after such an outage) and relays again.
 */
public final class LedgerLink implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean hung;

    LedgerLink(int port, int target) throws IOException {
        this.target = target;
        listener = new ServerSocket(port, 256, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(this::accept, "ledger-link");
        accepting.setDaemon(true);
        accepting.start();
    }

    /** Accepts and holds every connection, answering nothing, until {@link #resume()}. */
    public void hang() {
        hung = true;
    }

    public void resume() {
        hung = false;
        for (Socket socket : open) {
            close(socket);
        }
        open.clear();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                open.add(client);
                if (hung) {
                    continue; // held: never connected upstream, never answered
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(server);
                relay(client, server);
                relay(server, client);
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private void relay(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    while (hung && !from.isClosed()) {
                        Thread.sleep(20); // frozen mid-conversation
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // either side went away
            } finally {
                close(from);
                close(to);
                open.remove(from);
                open.remove(to);
            }
        }, "ledger-link-relay");
        thread.setDaemon(true);
        thread.start();
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        resume();
    }
}
