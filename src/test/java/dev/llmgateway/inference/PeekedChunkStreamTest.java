package dev.llmgateway.inference;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.ProviderException;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeekedChunkStreamTest {

    @Test
    void aResponsesStreamIsReadAheadToItsFirstOutputSoThatAFailureBeforeItCanStillFallBack() throws ProviderException {
        Queue<Object> events = new ArrayDeque<>(List.of(event("response.created"), event("response.in_progress"), event("response.output_item.added"),
                event("response.output_text.delta")));
        ChunkStream peeked = PeekedChunkStream.open(stream(events));
        assertThat(events).as("read ahead to the first output event, not further").hasSize(1);
        assertThat(peeked.next().eventType()).isEqualTo("response.created");
        assertThat(peeked.next().eventType()).isEqualTo("response.in_progress");
        assertThat(peeked.next().eventType()).isEqualTo("response.output_item.added");
        assertThat(peeked.next().eventType()).isEqualTo("response.output_text.delta");
        assertThat(peeked.next()).isNull();

        Queue<Object> failing = new ArrayDeque<>(List.of(event("response.created"), new ProviderException("p", ProviderException.Reason.SERVER_ERROR, "failed", null)));
        assertThatThrownBy(() -> PeekedChunkStream.open(stream(failing))).isInstanceOf(ProviderException.class);

        Queue<Object> chat = new ArrayDeque<>(List.of(Chunk.of(Json.parseObject("{\"choices\":[]}")), Chunk.of(Json.parseObject("{\"choices\":[]}"))));
        PeekedChunkStream.open(stream(chat));
        assertThat(chat).as("a chat stream is read ahead by one chunk").hasSize(1);
    }

    private static Chunk event(String type) {
        return Chunk.of(Json.object().add("type", type).build());
    }

    private static ChunkStream stream(Queue<Object> items) {
        return new ChunkStream() {
            @Override
            public Chunk next() throws ProviderException {
                Object next = items.poll();
                if (next instanceof ProviderException e) {
                    throw e;
                }
                return (Chunk) next;
            }

            @Override
            public void close() {
            }
        };
    }
}
