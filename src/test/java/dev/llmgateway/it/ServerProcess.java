package dev.llmgateway.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The JVM of the server under test, seen through Linux's /proc: its thread count and its TCP connections. */
final class ServerProcess {

    private final long pid;

    private ServerProcess(long pid) {
        this.pid = pid;
    }

    static ServerProcess find() {
        String marker = "liberty".equals(System.getProperty("arquillian.launch")) ? "ws-server.jar gateway-it" : "payara-micro.jar";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .map(p -> new ServerProcess(p.pid()))
                .findFirst().orElseThrow(() -> new AssertionError("no running server matching " + marker));
    }

    int threads() throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("Threads:")).map(l -> Integer.parseInt(l.substring(8).strip()))
                .findFirst().orElseThrow();
    }

    /** Established connections from this machine to a local port (the gateway is the only client of the stub). */
    static long connectionsTo(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        long count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path)) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 3 && fields[2].endsWith(hexPort) && fields[3].equals("01")) {
                    count++;
                }
            }
        }
        return count;
    }
}
