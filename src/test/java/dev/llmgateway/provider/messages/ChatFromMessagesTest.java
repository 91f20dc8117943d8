package dev.llmgateway.provider.messages;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.UntranslatableException;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A Messages request as chat: what maps, what is left out and named, what is refused naming the field. */
class ChatFromMessagesTest {

    private static JsonObject chat(String messagesRequest, ChatFromMessages translation) throws UntranslatableException {
        return translation.translate(Json.parseObject(messagesRequest), false);
    }

    @Test
    void mapsSystemBlocksToolsToolUseAndToolResults() throws Exception {
        ChatFromMessages translation = new ChatFromMessages();
        JsonObject chat = chat("""
                {"model":"m","max_tokens":50,"temperature":0.2,"stop_sequences":["END"],
                 "system":[{"type":"text","text":"one"},{"type":"text","text":"two","cache_control":{"type":"ephemeral"}}],
                 "tools":[{"name":"get_weather","description":"d","input_schema":{"type":"object"}},{"type":"web_search_20250305","name":"web_search"}],
                 "tool_choice":{"type":"any","disable_parallel_tool_use":true},
                 "messages":[
                   {"role":"user","content":"weather?"},
                   {"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"s"},{"type":"text","text":"Let me look."},
                     {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
                   {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"sunny"}]},
                     {"type":"text","text":"thanks"}]}]}""", translation);

        assertThat(Json.toText(chat)).isEqualTo("{\"messages\":[{\"role\":\"system\",\"content\":\"one\\n\\ntwo\"},"
                + "{\"role\":\"user\",\"content\":\"weather?\"},"
                + "{\"role\":\"assistant\",\"content\":\"Let me look.\",\"tool_calls\":[{\"id\":\"toolu_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"toolu_1\",\"content\":\"sunny\"},"
                + "{\"role\":\"user\",\"content\":\"thanks\"}],"
                + "\"max_completion_tokens\":50,\"temperature\":0.2,\"stop\":[\"END\"],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"},\"description\":\"d\"}}],"
                + "\"tool_choice\":\"required\",\"parallel_tool_calls\":false,\"stream\":false}");
        assertThat(translation.dropped()).containsExactly("cache_control", "thinking blocks", "tools[1]");
    }

    @Test
    void aStreamAsksForTheUsageChunk() throws Exception {
        JsonObject chat = new ChatFromMessages().translate(Json.parseObject("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), true);
        assertThat(Json.toText(chat)).endsWith("\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    }

    @Test
    void imagesBecomeContentPartsAndErrorsAreMarked() throws Exception {
        JsonObject chat = chat("""
                {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[
                  {"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}},{"type":"text","text":"what is it?"}]},
                  {"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"t","is_error":true,"content":"boom"}]}]}""", new ChatFromMessages());
        assertThat(Json.toText(chat)).contains("{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}}",
                "{\"type\":\"text\",\"text\":\"what is it?\"}", "\"content\":null,\"tool_calls\"", "\"content\":\"Error: boom\"");
    }

    @Test
    void anOperatorCanRefuseServerToolsInstead() {
        UntranslatableException refused = catchThrowableOfType(UntranslatableException.class, () -> new ChatFromMessages(true).translate(Json.parseObject(
                "{\"model\":\"m\",\"max_tokens\":5,\"tools\":[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}],"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"), false));
        assertThat(refused.param()).isEqualTo("tools[0]");
    }

    @Test
    void whatWouldChangeTheAnswerIsRefusedNamingTheField() {
        UntranslatableException document = catchThrowableOfType(UntranslatableException.class, () -> chat(
                "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":{}}]}]}", new ChatFromMessages()));
        assertThat(document.param()).isEqualTo("messages[0].content[0]");

        UntranslatableException choice = catchThrowableOfType(UntranslatableException.class, () -> chat(
                "{\"model\":\"m\",\"max_tokens\":5,\"tool_choice\":{\"type\":\"sometimes\"},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", new ChatFromMessages()));
        assertThat(choice.param()).isEqualTo("tool_choice.type");
    }
}
