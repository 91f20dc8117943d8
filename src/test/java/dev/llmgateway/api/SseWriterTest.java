package dev.llmgateway.api;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.ProviderException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SseWriterTest {

    private static final String CONTENT = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"héllo\"}}]}";
    private static final String USAGE = "{\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}";

    @Test
    void writesEachChunkAsADataEventAndEndsWithDone() throws IOException {
        assertThat(write(false, CONTENT)).isEqualTo("data: " + CONTENT + "\n\ndata: [DONE]\n\n");
    }

    @Test
    void dropsTheUsageChunkUnlessTheClientAskedForIt() throws IOException {
        assertThat(write(false, CONTENT, USAGE)).doesNotContain("usage");
        assertThat(write(true, CONTENT, USAGE)).contains("data: " + USAGE + "\n\n");
    }

    @Test
    void flushesEveryEvent() throws IOException {
        int[] flushes = {0};
        OutputStream counting = new ByteArrayOutputStream() {
            @Override
            public void flush() {
                flushes[0]++;
            }
        };
        SseWriter.copy(new ListStream(List.of(CONTENT, CONTENT), null), "m", false, counting);

        assertThat(flushes[0]).isEqualTo(3);
    }

    @Test
    void endsABrokenStreamWithAnErrorEventAndNoDone() throws IOException {
        var failure = new ProviderException("p", ProviderException.Reason.CONNECTION, "provider 'p' broke the connection mid-response", null);
        var out = new ByteArrayOutputStream();
        ListStream stream = new ListStream(List.of(CONTENT), failure);

        SseWriter.copy(stream, "m", false, out);

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("data: " + CONTENT + "\n\n")
                .endsWith("\n\n").doesNotContain("[DONE]")
                .contains("data: {\"error\":{\"message\":\"provider 'p' broke the connection mid-response\",\"type\":\"api_error\"");
        assertThat(stream.closed).isTrue();
    }

    @Test
    void closesTheUpstreamWhenTheClientGoesAway() {
        ListStream stream = new ListStream(List.of(CONTENT, CONTENT), null);
        OutputStream gone = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };

        assertThatThrownBy(() -> SseWriter.copy(stream, "m", false, gone)).isInstanceOf(IOException.class);
        assertThat(stream.closed).isTrue();
    }

    private static String write(boolean includeUsage, String... chunks) throws IOException {
        var out = new ByteArrayOutputStream();
        SseWriter.copy(new ListStream(List.of(chunks), null), "m", includeUsage, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static final class ListStream implements ChunkStream {
        private final Deque<String> chunks;
        private final ProviderException failure;
        boolean closed;

        ListStream(List<String> chunks, ProviderException failure) {
            this.chunks = new ArrayDeque<>(chunks);
            this.failure = failure;
        }

        @Override
        public Chunk next() throws ProviderException {
            if (!chunks.isEmpty()) {
                String data = chunks.poll();
                return new Chunk(data, Json.parseObject(data));
            }
            if (failure != null) {
                throw failure;
            }
            return null;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
