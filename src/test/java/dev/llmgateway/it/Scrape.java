package dev.llmgateway.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A Prometheus text-format scrape, as series → value, and promtool's opinion of it. */
final class Scrape {

    private final String text;
    private final Map<String, Double> series = new HashMap<>();

    Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
    }

    String text() {
        return text;
    }

    double value(String seriesName) {
        return series.getOrDefault(seriesName, 0.0);
    }

    /** The sum over every series of a metric whose labels contain all the given label pairs. */
    double sum(String metric, String... labels) {
        return series.entrySet().stream()
                .filter(e -> e.getKey().equals(metric) || e.getKey().startsWith(metric + "{"))
                .filter(e -> {
                    for (String label : labels) {
                        if (!e.getKey().contains(label)) {
                            return false;
                        }
                    }
                    return true;
                })
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** promtool's findings, or null when promtool is not installed (.ci/run installs it). */
    String promtoolProblems() throws IOException, InterruptedException {
        Process promtool;
        try {
            promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return null;
        }
        try (OutputStream in = promtool.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!promtool.waitFor(30, TimeUnit.SECONDS)) {
            promtool.destroyForcibly();
            return "promtool did not finish";
        }
        return promtool.exitValue() == 0 ? "" : output;
    }
}
