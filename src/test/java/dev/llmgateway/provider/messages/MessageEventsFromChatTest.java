package dev.llmgateway.provider.messages;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.Completion;
import dev.llmgateway.provider.ProviderException;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A chat stream as Anthropic's events, each chunk translated as it arrives; a whole chat answer as a message. */
class MessageEventsFromChatTest {

    private static ChunkStream chat(String... chunks) {
        Deque<String> left = new ArrayDeque<>(List.of(chunks));
        return new ChunkStream() {
            @Override
            public Chunk next() {
                String next = left.poll();
                return next == null ? null : Chunk.of(Json.parseObject(next));
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void textThenAToolCallThenUsage() throws ProviderException {
        MessageEventsFromChat events = new MessageEventsFromChat(chat(
                "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}",
                "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Let me\"}}]}",
                "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" check.\"}}]}",
                "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_9\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}}]}",
                "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}}]}",
                "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}}]}",
                "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
                "{\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":12,\"prompt_tokens_details\":{\"cached_tokens\":10}}}"),
                "claude-via-chat", "p");
        List<String> out = new ArrayList<>();
        Chunk last = null;
        for (Chunk event = events.next(); event != null; event = events.next()) {
            out.add(event.data());
            last = event.eventType().equals("message_delta") ? event : last;
        }

        assertThat(out).containsExactly(
                "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_chatcmpl-1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-via-chat\","
                        + "\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}}",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Let me\"}}",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" check.\"}}",
                "{\"type\":\"content_block_stop\",\"index\":0}",
                "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_call_9\",\"name\":\"get_weather\",\"input\":{}}}",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\"}}",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}",
                "{\"type\":\"content_block_stop\",\"index\":1}",
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":20,"
                        + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":10,\"output_tokens\":12}}",
                "{\"type\":\"message_stop\"}");
        assertThat(last.carriesUsage()).isTrue();
        assertThat(last.usage().inputTokens()).isEqualTo(30);
        assertThat(last.usage().cachedInputTokens()).isEqualTo(10);
        assertThat(last.usage().outputTokens()).isEqualTo(12);
    }

    @Test
    void parallelCallsStreamedOneAfterAnotherBecomeBlocksAndInterleavedArgumentsAreRefused() throws ProviderException {
        MessageEventsFromChat sequential = new MessageEventsFromChat(chat(
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"{\\\"x\\\":1}\"}}]}}]}"), "m", "p");
        List<String> types = new ArrayList<>();
        for (Chunk event = sequential.next(); event != null; event = sequential.next()) {
            types.add(event.eventType() + (event.json().containsKey("index") ? event.json().getInt("index") : ""));
        }
        assertThat(types).containsExactly("message_start", "content_block_start0", "content_block_delta0", "content_block_stop0",
                "content_block_start1", "content_block_delta1", "content_block_stop1", "message_delta", "message_stop");

        MessageEventsFromChat interleaved = new MessageEventsFromChat(chat(
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"\"}}]}}]}",
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{}\"}}]}}]}"), "m", "p");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
            while (interleaved.next() != null) {
                // drained until the upstream's interleaving is found
            }
        }).isInstanceOf(ProviderException.class).hasMessageContaining("interleaves");
    }

    @Test
    void anEmptyChatStreamStillOpensAndClosesTheMessage() throws ProviderException {
        MessageEventsFromChat events = new MessageEventsFromChat(chat(), "m", "p");
        List<String> types = new ArrayList<>();
        for (Chunk event = events.next(); event != null; event = events.next()) {
            types.add(event.eventType());
        }
        assertThat(types).containsExactly("message_start", "message_delta", "message_stop");
    }

    @Test
    void aWholeChatAnswerBecomesAMessage() {
        Completion chat = Completion.parse(("{\"id\":\"chatcmpl-7\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"Sure.\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]},"
                + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3}}").getBytes(java.nio.charset.StandardCharsets.UTF_8));

        Completion message = MessageFromChat.translate(chat, "my-model");

        assertThat(new String(message.bytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"msg_chatcmpl-7\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"my-model\",\"content\":[{\"type\":\"text\",\"text\":\"Sure.\"},{\"type\":\"tool_use\",\"id\":\"toolu_call_1\","
                + "\"name\":\"f\",\"input\":{\"a\":1}}],\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":9,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":3}}");
        assertThat(message.summary().finishReasons()).containsExactly("tool_use");
        assertThat(message.usage().inputTokens()).isEqualTo(9);
    }
}
