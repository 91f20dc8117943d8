package dev.llmgateway.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The log of the server under test: Payara Micro's plain-text log file (arquillian.xml's --logtofile), or
 * Liberty's messages.log, which the Liberty test run writes in JSON.
 */
final class ServerLog {

    private ServerLog() {
    }

    static boolean json() {
        return "liberty".equals(System.getProperty("arquillian.launch"));
    }

    /** Payara's file handler may add a generation suffix (payara-it.log.0), so every generation is read. */
    static List<Path> files() {
        if (json()) {
            return List.of(Path.of("target/liberty/wlp/usr/servers/gateway-it/logs/messages.log"));
        }
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("payara-it.log")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first line containing the text, once it has been written. */
    static String await(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> line = lines().stream().filter(l -> l.contains(text)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no line with " + text + " in " + files());
    }

    /** Every line logged so far; a log that is missing or empty fails the test, so no search can pass unread. */
    static List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (Path file : files()) {
            try {
                if (Files.exists(file)) {
                    lines.addAll(Files.readAllLines(file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (lines.isEmpty()) {
            throw new AssertionError("the server log is missing or empty: " + files());
        }
        return lines;
    }
}
