package dev.llmgateway.provider.responses;

import dev.llmgateway.provider.UntranslatableException;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.Completion;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Responses API over a provider that only chats: the request down, the answer and the events back. */
class ResponsesOverChatTest {

    @Test
    void instructionsInputItemsToolsAndFormatBecomeTheirChatEquivalents() throws Exception {
        JsonObject chat = ChatFromResponses.translate(Json.parseObject("""
                {"model":"m","instructions":"Be brief.","max_output_tokens":64,"temperature":0.2,"store":true,"metadata":{"a":"b"},
                 "tools":[{"type":"function","name":"weather","description":"Weather now","parameters":{"type":"object"},"strict":true}],
                 "tool_choice":{"type":"function","name":"weather"},
                 "text":{"format":{"type":"json_schema","name":"answer","schema":{"type":"object"},"strict":true}},
                 "input":[{"role":"user","content":[{"type":"input_text","text":"Paris?"},{"type":"input_image","image_url":"https://x/y.png","detail":"low"}]},
                          {"type":"function_call","call_id":"c1","name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"},
                          {"type":"function_call","call_id":"c2","name":"weather","arguments":"{}"},
                          {"type":"function_call_output","call_id":"c1","output":"18C"},
                          {"type":"message","role":"assistant","content":[{"type":"output_text","text":"It is 18C."}]}]}"""));

        assertThat(Json.toText(chat.getJsonArray("messages"))).isEqualTo("[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Paris?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\",\"detail\":\"low\"}}]},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}},"
                + "{\"id\":\"c2\",\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"18C\"},{\"role\":\"assistant\",\"content\":\"It is 18C.\"}]");
        assertThat(chat.getInt("max_completion_tokens")).isEqualTo(64);
        assertThat(chat.getJsonNumber("temperature").doubleValue()).isEqualTo(0.2);
        assertThat(Json.toText(chat.getJsonArray("tools"))).isEqualTo("[{\"type\":\"function\",\"function\":{\"name\":\"weather\","
                + "\"description\":\"Weather now\",\"parameters\":{\"type\":\"object\"},\"strict\":true}}]");
        assertThat(Json.toText(chat.getJsonObject("tool_choice"))).isEqualTo("{\"type\":\"function\",\"function\":{\"name\":\"weather\"}}");
        assertThat(chat.getJsonObject("response_format").getJsonObject("json_schema").getString("name")).isEqualTo("answer");
        assertThat(chat).doesNotContainKeys("store", "metadata", "model", "input", "instructions");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"input\":\"hi\",\"previous_response_id\":\"resp_1\"}                               | previous_response_id",
            "{\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\",\"file_id\":\"f\"}]}]} | input[0].content[0].type",
            "{\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\",\"file_id\":\"f\"}]}]} | input[0].content[0]",
            "{\"input\":[{\"role\":\"critic\",\"content\":\"x\"}]}                                 | input[0].role",
            "{\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"c\",\"output\":[]}]}     | input[0].output",
            "{\"input\":\"hi\",\"truncation\":\"auto\"}                                            | truncation",
            "{\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"xml\"}}}                           | text.format",
            "{\"input\":\"hi\",\"frequency_penalty\":1}                                            | frequency_penalty",
            "{\"input\":\"hi\",\"background\":true}                                                | background",
            "{\"input\":\"hi\",\"text\":{\"verbosity\":\"low\"}}                                  | text.verbosity",
            "{\"input\":\"hi\",\"text\":{\"format\":\"json\"}}                                    | text.format",
            "{\"input\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"input_image\",\"image_url\":\"x\"}]}]} | input[0].content[0].type",
            "{\"input\":7}                                                                         | input",
            "{\"instructions\":\"only\"}                                                           | input",
    })
    void whatHasNoChatEquivalentIsRefusedNamingIt(String request, String param) {
        assertThatThrownBy(() -> ChatFromResponses.translate(Json.parseObject(request)))
                .isInstanceOfSatisfying(UntranslatableException.class, e -> assertThat(e.param()).isEqualTo(param));
    }

    @Test
    void aCodingAgentsRequestGoesOverChatWithItsNamespacesFlattenedAndHostedToolsNamed() throws Exception {
        java.util.Set<String> dropped = new java.util.TreeSet<>();
        JsonObject request = Json.parseObject("""
                {"model":"m","stream":true,"store":false,"include":["reasoning.encrypted_content"],"reasoning":{"summary":"auto"},
                 "prompt_cache_key":"s-1","client_metadata":{"session_id":"s-1"},"tool_choice":"auto","parallel_tool_calls":true,
                 "tools":[{"type":"function","name":"exec_command","parameters":{"type":"object"}},
                          {"type":"namespace","name":"multi_agent_v1","description":"agents","tools":[{"type":"function","name":"spawn_agent","parameters":{"type":"object"}}]},
                          {"type":"web_search","external_web_access":true}],
                 "input":[{"type":"reasoning","summary":[],"encrypted_content":"gAAA"},{"role":"user","content":"hi"}]}""");

        JsonObject chat = ChatFromResponses.translate(request, dropped, false);

        assertThat(Json.toText(chat)).contains("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"exec_command\"",
                "{\"type\":\"function\",\"function\":{\"name\":\"spawn_agent\"").doesNotContain("web_search", "client_metadata", "encrypted");
        assertThat(dropped).containsExactly("include", "reasoning", "reasoning items", "tools[2]");
        assertThat(ResponseObject.functionCall(request, "fc_1", "completed", "c1", "spawn_agent", "{}").getString("namespace")).isEqualTo("multi_agent_v1");
        assertThat(ResponseObject.functionCall(request, "fc_2", "completed", "c2", "exec_command", "{}")).doesNotContainKey("namespace");
    }

    @Test
    void anOperatorCanRefuseHostedToolsInstead() {
        assertThatThrownBy(() -> ChatFromResponses.translate(Json.parseObject("{\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"}]}"),
                new java.util.TreeSet<>(), true))
                .isInstanceOfSatisfying(UntranslatableException.class, e -> assertThat(e.param()).isEqualTo("tools[0]"));
    }

    @Test
    void aWholeChatAnswerBecomesAResponseWithItsItemsStatusAndUsage() {
        Completion chat = Completion.parse(("{\"id\":\"chatcmpl-1\",\"created\":1700000000,\"model\":\"m-1\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"Checking.\",\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"weather\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}],"
                + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":4,\"prompt_tokens_details\":{\"cached_tokens\":3}}}").getBytes());
        JsonObject response = ResponseFromChat.translate(Json.parseObject("{\"input\":\"x\",\"temperature\":0.5}"), chat, "m");

        assertThat(response.getString("id")).isEqualTo("resp_chatcmpl-1");
        assertThat(response.getString("object")).isEqualTo("response");
        assertThat(response.getString("status")).isEqualTo("completed");
        assertThat(response.getString("model")).isEqualTo("m-1");
        assertThat(response.getJsonNumber("temperature").doubleValue()).isEqualTo(0.5);
        assertThat(response.getJsonArray("output")).hasSize(2);
        assertThat(response.getJsonArray("output").getJsonObject(0).getJsonArray("content").getJsonObject(0).getString("text")).isEqualTo("Checking.");
        JsonObject call = response.getJsonArray("output").getJsonObject(1);
        assertThat(call.getString("type")).isEqualTo("function_call");
        assertThat(call.getString("call_id")).isEqualTo("c1");
        assertThat(response.getJsonObject("usage").getInt("input_tokens")).isEqualTo(10);
        assertThat(response.getJsonObject("usage").getJsonObject("input_tokens_details").getInt("cached_tokens")).isEqualTo(3);
        assertThat(response.getJsonObject("usage").getInt("total_tokens")).isEqualTo(14);

        Completion cut = Completion.parse("{\"id\":\"c\",\"choices\":[{\"message\":{\"content\":\"Half\"},\"finish_reason\":\"length\"}]}".getBytes());
        JsonObject incomplete = ResponseFromChat.translate(Json.parseObject("{\"input\":\"x\"}"), cut, "m");
        assertThat(incomplete.getString("status")).isEqualTo("incomplete");
        assertThat(incomplete.getJsonObject("incomplete_details").getString("reason")).isEqualTo("max_output_tokens");
        assertThat(incomplete.isNull("usage")).isTrue();
    }

    @Test
    void aChatStreamBecomesTheResponsesEventsInOrderEachAsItsChunkArrives() throws Exception {
        Queue<String> chunks = new ArrayDeque<>(List.of(
                chunk("{\"role\":\"assistant\",\"content\":\"\"}", null),
                chunk("{\"content\":\"Let me \"}", null),
                chunk("{\"content\":\"check.\"}", null),
                chunk("{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"{\\\"ci\"}}]}", null),
                chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"ty\\\":1}\"}}]}", null),
                chunk("{}", "tool_calls"),
                "{\"id\":\"chatcmpl-9\",\"model\":\"m-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":5}}"));
        int[] pulled = {0};
        ChunkStream chat = new ChunkStream() {
            @Override
            public Chunk next() {
                String next = chunks.poll();
                pulled[0]++;
                return next == null ? null : Chunk.of(Json.parseObject(next));
            }

            @Override
            public void close() {
            }
        };
        ResponseEventsFromChat events = new ResponseEventsFromChat(chat, Json.parseObject("{\"input\":\"x\"}"), "m", "p",
                dev.llmgateway.provider.AnswerMemory.UNCOUNTED);

        List<JsonObject> seen = new ArrayList<>();
        Chunk first = events.next();
        assertThat(pulled[0]).as("the first event leaves with the first chat chunk").isEqualTo(1);
        seen.add(first.json());
        for (Chunk event = events.next(); event != null; event = events.next()) {
            seen.add(event.json());
        }
        assertThat(seen).extracting(e -> e.getString("type")).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done", "response.completed");
        assertThat(seen).extracting(e -> e.getInt("sequence_number")).isSorted().doesNotHaveDuplicates();
        JsonObject completed = seen.get(seen.size() - 1).getJsonObject("response");
        assertThat(completed.getString("id")).isEqualTo("resp_chatcmpl-9");
        assertThat(completed.getJsonArray("output").getJsonObject(0).getJsonArray("content").getJsonObject(0).getString("text")).isEqualTo("Let me check.");
        assertThat(completed.getJsonArray("output").getJsonObject(1).getString("arguments")).isEqualTo("{\"city\":1}");
        assertThat(completed.getJsonObject("usage").getInt("output_tokens")).isEqualTo(5);
        assertThat(Chunk.of(seen.get(seen.size() - 1)).carriesUsage()).isTrue();
        assertThat(Chunk.of(seen.get(seen.size() - 1)).usage().inputTokens()).isEqualTo(7);
    }

    @Test
    void theAnswerKeptForTheClosingEventsIsChargedAsItGrowsHoweverLargeEachDelta() throws Exception {
        java.util.ArrayDeque<String> chunks = new java.util.ArrayDeque<>(List.of(chunk("{\"content\":\"" + "w".repeat(4 << 20) + "\"}", null)));
        ChunkStream chat = new ChunkStream() {
            @Override
            public Chunk next() {
                String next = chunks.poll();
                return next == null ? null : Chunk.of(Json.parseObject(next));
            }

            @Override
            public void close() {
            }
        };
        var budget = new dev.llmgateway.admission.MemoryBudget(16L << 20);
        try (var answers = budget.open()) {
            ResponseEventsFromChat events = new ResponseEventsFromChat(chat, Json.parseObject("{\"input\":\"x\"}"), "m", "p", answers.forAnswers());
            dev.llmgateway.provider.ProviderException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                    dev.llmgateway.provider.ProviderException.class, () -> {
                        while (events.next() != null) {
                            // the one delta of 4 M characters is kept: 8 bytes a character is more than this budget holds
                        }
                    });
            assertThat(refused).isNotNull();
            assertThat(refused.reason()).isIn(dev.llmgateway.provider.ProviderException.Reason.ANSWER_TOO_LARGE,
                    dev.llmgateway.provider.ProviderException.Reason.OVERLOADED);
        }
        assertThat(budget.inUse()).isZero();
    }

    private static String chunk(String delta, String finish) {
        return "{\"id\":\"chatcmpl-9\",\"created\":1700000000,\"model\":\"m-1\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
    }
}
