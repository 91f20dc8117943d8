package dev.llmgateway.provider.sse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads Server-Sent Events from a byte stream as the WHATWG event-stream format defines them: lines end in
 * LF, CRLF or CR, wherever the network happens to split them; {@code data} lines accumulate until a blank line.
 * Not thread-safe: one reader per stream.
 */
public final class SseReader {

    /** Called before each blocking read, so that the caller can bound how long it may take. */
    public interface ReadGuard {
        ReadGuard NONE = () -> () -> {
        };

        /** Arms a timer for one read; the returned handle disarms it. */
        Disarm arm() throws IOException;

        interface Disarm {
            void disarm();
        }
    }

    /** Told, before the reader holds more memory, how much more: it may refuse by throwing. */
    public interface Growth {
        Growth FREE = bytes -> {
        };

        void grow(long bytes) throws IOException;
    }

    /** An event this small is never charged: a stream of ordinary chunks holds nothing of the budget. */
    private static final int FREE_EVENT = 16 * 1024;
    /** What an event's data costs while it is held: the builder, its text, the parse of it. */
    private static final int EVENT_COST_PER_CHAR = 4;
    private static final int MAX_LINE = 4 * 1024 * 1024;
    /** One event's data lines together: an upstream that never ends its event must not grow the gateway's heap. */
    private static final int MAX_EVENT = 16 * 1024 * 1024;

    private final InputStream in;
    private final ReadGuard guard;
    private final Growth growth;
    /** The most this stream's events and line buffer have been charged: the largest event costs, the others fit within it. */
    private long charged;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private boolean skipLineFeed;

    private byte[] line = new byte[256];
    private int lineLength;

    public SseReader(InputStream in, ReadGuard guard) {
        this(in, guard, Growth.FREE);
    }

    public SseReader(InputStream in, ReadGuard guard, Growth growth) {
        this.in = in;
        this.guard = guard;
        this.growth = growth;
    }

    /** The next event, or {@code null} at the end of the stream (an unterminated last event is dropped). */
    public SseEvent next() throws IOException {
        String event = null;
        StringBuilder data = null;
        String text;
        while ((text = readLine()) != null) {
            if (text.isEmpty()) {
                if (data != null) {
                    return new SseEvent(event == null ? "message" : event, data.toString());
                }
                event = null;
                continue;
            }
            if (text.charAt(0) == ':') {
                continue;
            }
            int colon = text.indexOf(':');
            String field = colon < 0 ? text : text.substring(0, colon);
            String value = colon < 0 ? "" : text.substring(colon + (colon + 1 < text.length() && text.charAt(colon + 1) == ' ' ? 2 : 1));
            if (field.equals("data")) {
                if (data == null) {
                    data = new StringBuilder(value.length());
                } else {
                    data.append('\n');
                }
                if (data.length() + value.length() > MAX_EVENT) {
                    throw new IOException("an event's data passed " + MAX_EVENT + " characters");
                }
                charge((long) EVENT_COST_PER_CHAR * (data.length() + value.length()) + line.length);
                data.append(value);
            } else if (field.equals("event")) {
                event = value;
            }
        }
        return null;
    }

    private String readLine() throws IOException {
        lineLength = 0;
        while (true) {
            if (position == limit && !fill()) {
                return lineLength > 0 ? decodeLine() : null;
            }
            byte b = buffer[position++];
            if (skipLineFeed) {
                skipLineFeed = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\n') {
                return decodeLine();
            }
            if (b == '\r') {
                skipLineFeed = true;
                return decodeLine();
            }
            append(b);
        }
    }

    private boolean fill() throws IOException {
        ReadGuard.Disarm timer = guard.arm();
        int n;
        try {
            n = in.read(buffer, 0, buffer.length);
        } finally {
            timer.disarm();
        }
        if (n <= 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    private void append(byte b) throws IOException {
        if (lineLength == line.length) {
            if (line.length >= MAX_LINE) {
                throw new IOException("event-stream line longer than " + MAX_LINE + " bytes");
            }
            charge((long) EVENT_COST_PER_CHAR * lineLength + line.length * 2L);
            line = Arrays.copyOf(line, line.length * 2);
        }
        line[lineLength++] = b;
    }

    /** Charges what the stream holds past the free allowance, once: only a new high-water mark costs more. */
    private void charge(long holding) throws IOException {
        if (holding > FREE_EVENT && holding > charged) {
            growth.grow(holding - Math.max(charged, FREE_EVENT));
            charged = holding;
        }
    }

    private String decodeLine() {
        // the UTF-8 BOM is allowed once at the start of a stream
        int start = lineLength >= 3 && (line[0] & 0xff) == 0xEF && (line[1] & 0xff) == 0xBB && (line[2] & 0xff) == 0xBF ? 3 : 0;
        return new String(line, start, lineLength - start, StandardCharsets.UTF_8);
    }
}
