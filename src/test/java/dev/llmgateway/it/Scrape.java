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

    /** The gateway's /metrics now. */
    static Scrape of(java.net.URL base) {
        java.net.http.HttpResponse<String> response = RawHttp.get(base, "/metrics");
        if (response.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + response.statusCode());
        }
        return new Scrape(response.body());
    }

    /**
     * The gateway's /metrics once {@code requests} API requests more than {@code before} are counted: listeners hear of a
     * request once its answer is out, a moment after its client has it. Fails after 10 s.
     */
    static Scrape afterRequests(java.net.URL base, Scrape before, int requests) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Scrape now = of(base);
            double counted = now.since(before, "gateway_requests_total");
            if (counted >= requests || System.nanoTime() > deadline) {
                if (counted < requests) {
                    throw new AssertionError("only " + counted + " of " + requests + " requests counted after 10 s");
                }
                return now;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * The gateway's /metrics once earlier requests are all counted (the request count still for 1 s): listeners count a
     * request a moment after its client has the answer (later on a loaded machine), so a scrape taken at once may miss
     * the last one. Fails after 15 s.
     */
    static Scrape settled(java.net.URL base) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        Scrape last = of(base);
        while (true) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            Scrape now = of(base);
            if (now.sum("gateway_requests_total") == last.sum("gateway_requests_total")) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("requests were still being counted after 15 s");
            }
            last = now;
        }
    }

    /**
     * Waits until the usage ledger writes: its database opened and its schema migrated, work a new deployment does
     * on its writer thread beside the first requests. Fails after 60 s.
     */
    static void awaitLedgerUp(java.net.URL base) {
        awaitOne(base, "gateway_ledger_up", "the usage ledger did not write");
    }

    /**
     * Waits until the virtual keys are read and their limits lease (gateway_limits_up): until then a deployment with the
     * admin key answers a request it cannot place 503 keys_loading. Fails after 60 s.
     */
    static void awaitKeysRead(java.net.URL base) {
        awaitOne(base, "gateway_limits_up", "the virtual keys were not read");
    }

    private static void awaitOne(java.net.URL base, String gauge, String failure) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (of(base).value(gauge) != 1.0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure + " within 60 s (" + gauge + ")");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** How much a metric's matching series grew since an earlier scrape. */
    double since(Scrape before, String metric, String... labels) {
        return sum(metric, labels) - before.sum(metric, labels);
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
