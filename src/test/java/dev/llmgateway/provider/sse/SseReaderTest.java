package dev.llmgateway.provider.sse;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SseReaderTest {

    @Test
    void readsDataEventsSeparatedByBlankLines() throws IOException {
        assertThat(events("data: {\"a\":1}\n\ndata: [DONE]\n\n"))
                .containsExactly(new SseEvent("message", "{\"a\":1}"), new SseEvent("message", "[DONE]"));
    }

    @Test
    void acceptsEveryLineEndingTheFormatAllows() throws IOException {
        assertThat(events("data: one\r\n\r\ndata: two\r\rdata: three\n\n"))
                .extracting(SseEvent::data).containsExactly("one", "two", "three");
    }

    @Test
    void reassemblesLinesSplitAcrossReadsEvenInsideAMultiByteCharacter() throws IOException {
        byte[] bytes = "data: {\"text\":\"héllo – wörld 🚀\"}\r\n\r\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
        List<SseEvent> events = read(new OneByteAtATime(bytes));

        assertThat(events).extracting(SseEvent::data).containsExactly("{\"text\":\"héllo – wörld 🚀\"}", "[DONE]");
    }

    @Test
    void joinsMultipleDataLinesAndKeepsTheEventType() throws IOException {
        assertThat(events("event: content_block_delta\ndata: first\ndata: second\n\n"))
                .containsExactly(new SseEvent("content_block_delta", "first\nsecond"));
    }

    @Test
    void ignoresCommentsAndUnknownFieldsAndStripsOnlyOneSpace() throws IOException {
        assertThat(events(": ping\nid: 7\nretry: 10\ndata:  two spaces\n\n:\n\n"))
                .containsExactly(new SseEvent("message", " two spaces"));
    }

    @Test
    void dropsAnEventTheStreamEndedInTheMiddleOf() throws IOException {
        assertThat(events("data: complete\n\ndata: cut off")).extracting(SseEvent::data).containsExactly("complete");
    }

    @Test
    void refusesAnEndlessLine() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }
        };
        assertThatThrownBy(() -> new SseReader(endless, SseReader.ReadGuard.NONE).next())
                .isInstanceOf(IOException.class).hasMessageContaining("longer than");
    }

    @Test
    void armsTheGuardAroundEveryRead() throws IOException {
        int[] armed = {0};
        int[] disarmed = {0};
        SseReader.ReadGuard counting = () -> {
            armed[0]++;
            return () -> disarmed[0]++;
        };
        SseReader reader = new SseReader(new OneByteAtATime("data: x\n\n".getBytes(StandardCharsets.UTF_8)), counting);
        while (reader.next() != null) {
            // drain
        }
        assertThat(armed[0]).isEqualTo(10).isEqualTo(disarmed[0]);
    }

    private static List<SseEvent> events(String text) throws IOException {
        return read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<SseEvent> read(InputStream in) throws IOException {
        SseReader reader = new SseReader(in, SseReader.ReadGuard.NONE);
        List<SseEvent> events = new ArrayList<>();
        SseEvent event;
        while ((event = reader.next()) != null) {
            events.add(event);
        }
        return events;
    }

    /** A network that delivers one byte per read. */
    private static final class OneByteAtATime extends InputStream {
        private final byte[] bytes;
        private int next;

        OneByteAtATime(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return next < bytes.length ? bytes[next++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (next >= bytes.length) {
                return -1;
            }
            b[off] = bytes[next++];
            return 1;
        }
    }
}
