package dev.llmgateway.telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes log lines on one background thread. Both runtimes' console and file handlers write under one lock,
 * and with a line per inference the request threads queued for it (JFR under load: thousands of waits over
 * 10 ms per 15 s on Payara's ConsoleHandler and Liberty's FileLogHolder). Bounded: when the writer falls
 * behind, a line is dropped and counted rather than holding up a request.
 */
final class BackgroundLog implements AutoCloseable {

    private static final CorrelatedLog.Line STOP = new CorrelatedLog.Line(null, null, null);

    private final BlockingQueue<CorrelatedLog.Line> queue;
    private final Runnable onDrop;
    private final Thread writer;

    BackgroundLog(String threadName, int capacity, Runnable onDrop) {
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.onDrop = onDrop;
        this.writer = new Thread(this::drain, threadName);
        writer.setDaemon(true);
    }

    BackgroundLog start() {
        writer.start();
        return this;
    }

    void submit(CorrelatedLog.Line line) {
        if (!queue.offer(line)) {
            onDrop.run();
        }
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        if (!writer.isAlive()) {
            writeQueued();
            return;
        }
        try {
            if (queue.offer(STOP, 5, TimeUnit.SECONDS)) {
                writer.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        try {
            for (CorrelatedLog.Line line = queue.take(); line != STOP; line = queue.take()) {
                write(line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeQueued() {
        List<CorrelatedLog.Line> left = new ArrayList<>();
        queue.drainTo(left);
        left.stream().filter(line -> line != STOP).forEach(BackgroundLog::write);
    }

    private static void write(CorrelatedLog.Line line) {
        try {
            CorrelatedLog.write(line);
        } catch (RuntimeException e) {
            // a handler that fails must not stop the lines after it
        }
    }
}
