package dev.llmgateway.provider.anthropic;

import dev.llmgateway.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AnthropicTranslationTest {

    @Test
    void cacheReadsAndWritesCountOnceEachInTheInputAndApartInTheirOwnFields() {
        JsonObject usage = AnthropicResponse.usage(Json.parseObject("{\"input_tokens\":10,\"cache_read_input_tokens\":100,"
                + "\"cache_creation_input_tokens\":7,\"output_tokens\":5}"), -1);

        assertThat(dev.llmgateway.provider.Usage.of(Json.object().add("usage", usage).build()))
                .isEqualTo(new dev.llmgateway.provider.Usage(117, 5, 100, -1, 7));
        assertThat(dev.llmgateway.provider.CompletionSummary.read("{\"usage\":" + Json.toText(usage) + "}").usage())
                .isEqualTo(new dev.llmgateway.provider.Usage(117, 5, 100, -1, 7));
    }

    @Test
    void translatesToolsToolCallsToolResultsAndImages() throws UnsupportedInputException {
        JsonObject translated = AnthropicRequest.translate(Json.parseObject("""
                {"model":"x","max_completion_tokens":200,"user":"u-1","parallel_tool_calls":false,"tool_choice":"required",
                 "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now",
                           "parameters":{"type":"object","properties":{"location":{"type":"string"}}}}}],
                 "messages":[
                  {"role":"developer","content":[{"type":"text","text":"Be terse."}]},
                  {"role":"user","content":[{"type":"text","text":"What is this?"},
                     {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                     "function":{"name":"get_weather","arguments":"{\\"location\\":\\"Paris\\"}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"18°C"},
                  {"role":"user","content":"Thanks"}]}"""), "claude", 4096, false);

        assertThat(translated.getInt("max_tokens")).isEqualTo(200);
        assertThat(translated.getJsonObject("metadata").getString("user_id")).isEqualTo("u-1");
        assertThat(translated.getJsonObject("tool_choice")).isEqualTo(Json.parseObject("{\"type\":\"any\",\"disable_parallel_tool_use\":true}"));
        assertThat(translated.getJsonArray("tools").getJsonObject(0).getJsonObject("input_schema").getString("type")).isEqualTo("object");
        assertThat(translated.getJsonArray("system").getJsonObject(0).getString("text")).isEqualTo("Be terse.");
        var messages = translated.getJsonArray("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.getJsonObject(0).getJsonArray("content").getJsonObject(1).getJsonObject("source"))
                .isEqualTo(Json.parseObject("{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}"));
        assertThat(messages.getJsonObject(1).getJsonArray("content").getJsonObject(0))
                .isEqualTo(Json.parseObject("{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"get_weather\",\"input\":{\"location\":\"Paris\"}}"));
        // the tool result and the next user message merge into one user turn
        var lastTurn = messages.getJsonObject(2);
        assertThat(lastTurn.getString("role")).isEqualTo("user");
        assertThat(lastTurn.getJsonArray("content").getJsonObject(0).getString("type")).isEqualTo("tool_result");
        assertThat(lastTurn.getJsonArray("content").getJsonObject(1).getString("text")).isEqualTo("Thanks");
    }

    @Test
    void refusesWhatAnthropicCannotDoNamingTheParameter() {
        for (String[] unsupported : new String[][]{
                {"\"logprobs\":true", "logprobs"},
                {"\"n\":2", "n"},
                {"\"presence_penalty\":0.5", "presence_penalty"},
                {"\"response_format\":{\"type\":\"json_schema\"}", "response_format"},
                {"\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\"}]}]", "messages[0]"}}) {
            String body = unsupported[0].startsWith("\"messages\"")
                    ? "{" + unsupported[0] + "}"
                    : "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]," + unsupported[0] + "}";
            UnsupportedInputException e = catchThrowableOfType(UnsupportedInputException.class,
                    () -> AnthropicRequest.translate(Json.parseObject(body), "claude", 1024, false));
            assertThat(e).as(unsupported[0]).isNotNull();
            assertThat(e.param()).isEqualTo(unsupported[1]);
        }
    }

    @Test
    void acceptsTheDefaultsSdksSendThatHaveNoEffect() throws UnsupportedInputException {
        JsonObject translated = translate("\"logprobs\":false,\"frequency_penalty\":0,\"presence_penalty\":0.0,\"logit_bias\":{},"
                + "\"service_tier\":\"auto\",\"modalities\":[\"text\"],\"n\":1.0,\"max_tokens\":12.0");

        assertThat(translated.keySet()).doesNotContain("logprobs", "frequency_penalty", "presence_penalty", "logit_bias", "service_tier", "modalities");
        assertThat(translated.getInt("max_tokens")).isEqualTo(12);
    }

    @Test
    void refusesEverythingItCannotTranslateFaithfullyNamingWhere() {
        for (String[] refused : new String[][]{
                {"\"frequency_penalty\":0.1", "frequency_penalty"},
                {"\"logit_bias\":{\"50256\":-100}", "logit_bias"},
                {"\"n\":2.0", "n"},
                {"\"n\":\"2\"", "n"},
                {"\"max_tokens\":12.5", "max_tokens"},
                {"\"temperature\":\"0.5\"", "temperature"},
                {"\"user\":7", "user"},
                {"\"stop\":[\"a\",1]", "stop"},
                {"\"response_format\":\"json\"", "response_format"},
                {"\"tool_choice\":3", "tool_choice"},
                {"\"parallel_tool_calls\":\"no\"", "parallel_tool_calls"},
                {"\"tools\":{}", "tools"},
                {"\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":[1]}}]", "tools[0].function.parameters"},
                {"\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[1]}]", "messages[0].tool_calls[0]"},
                {"\"messages\":[{\"role\":\"assistant\",\"tool_calls\":7}]", "messages[0].tool_calls"},
                {"\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":{\"a\":1}}}]}]",
                        "messages[0].tool_calls[0].function.arguments"},
                {"\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":" + "1".repeat(1200) + "}\"}}]}]",
                        "messages[0].tool_calls[0].function.arguments"},
                {"\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"function\":{\"name\":\"f\",\"arguments\":\"" + "[".repeat(5000) + "\"}}]}]",
                        "messages[0].tool_calls[0].function.arguments"},
                {"\"messages\":[{\"role\":\"user\",\"content\":[7]}]", "messages[0]"},
                {"\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":[]}]}]", "messages[0].content.text"}}) {
            UnsupportedInputException e = catchThrowableOfType(UnsupportedInputException.class, () -> translate(refused[0]));
            assertThat(e).as(refused[0]).isNotNull();
            assertThat(e.param()).as(refused[0]).isEqualTo(refused[1]);
        }
    }

    @Test
    void parallelToolCallsOffMakesNoToolChoiceWithoutTools() throws UnsupportedInputException {
        assertThat(translate("\"parallel_tool_calls\":false").containsKey("tool_choice")).isFalse();
        assertThat(translate("\"parallel_tool_calls\":false,\"tool_choice\":\"none\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]")
                .getJsonObject("tool_choice")).isEqualTo(Json.parseObject("{\"type\":\"none\"}"));
    }

    /** A user message plus the given members; a {@code messages} member replaces the user message. */
    private static JsonObject translate(String members) throws UnsupportedInputException {
        String body = members.startsWith("\"messages\"") ? "{" + members + "}"
                : "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]," + members + "}";
        return AnthropicRequest.translate(Json.parseObject(body), "claude", 1024, false);
    }

    @Test
    void mapsToolUseAnswersAndCachedTokens() throws IOException {
        JsonObject completion = AnthropicResponse.completion(Json.parseObject(fixture("tool-use.json")));

        JsonObject choice = completion.getJsonArray("choices").getJsonObject(0);
        assertThat(choice.getString("finish_reason")).isEqualTo("tool_calls");
        JsonObject call = choice.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0);
        assertThat(call.getString("id")).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat(Json.parseObject(call.getJsonObject("function").getString("arguments")).getString("location")).isEqualTo("Paris, France");
        assertThat(completion.getJsonObject("usage").getInt("prompt_tokens")).isEqualTo(220);
        assertThat(completion.getJsonObject("usage").getJsonObject("prompt_tokens_details").getInt("cached_tokens")).isEqualTo(100);
    }

    @Test
    void mapsStopReasons() {
        assertThat(AnthropicResponse.finishReason("end_turn")).isEqualTo("stop");
        assertThat(AnthropicResponse.finishReason("stop_sequence")).isEqualTo("stop");
        assertThat(AnthropicResponse.finishReason("max_tokens")).isEqualTo("length");
        assertThat(AnthropicResponse.finishReason("tool_use")).isEqualTo("tool_calls");
        assertThat(AnthropicResponse.finishReason("refusal")).isEqualTo("content_filter");
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = AnthropicTranslationTest.class.getResourceAsStream("/fixtures/anthropic/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
