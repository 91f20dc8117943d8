package dev.llmgateway.telemetry;

import dev.llmgateway.config.RequestExportSettings;
import dev.llmgateway.config.TracingSettings;
import dev.llmgateway.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ContentCaptureTest {

    private final ContentCapture capture = new ContentCapture(new TracingSettings(true, 10, TracingSettings.DEFAULT_MAX_ATTRIBUTE_CHARS, false, false, RequestExportSettings.DEFAULTS));

    @Test
    void splitsInstructionsFromTheConversationInTheConventionsFormat() {
        var request = Json.parseObject("""
                {"messages":[{"role":"system","content":"Be brief."},
                 {"role":"user","content":[{"type":"text","text":"Hi"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
                 {"role":"tool","tool_call_id":"c1","content":"42"}]}""");

        assertThat(capture.systemInstructions(request)).isEqualTo("[{\"type\":\"text\",\"content\":\"Be brief.\"}]");
        assertThat(capture.inputMessages(request)).isEqualTo("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Hi\"},"
                + "{\"type\":\"image_url\"}]},{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"c1\",\"name\":\"f\","
                + "\"arguments\":\"{}\"}]},{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"c1\",\"response\":\"42\"}]}]");
    }

    @Test
    void cutsLongTextAndNeverCopiesImages() {
        var request = Json.parseObject("{\"messages\":[{\"role\":\"user\",\"content\":\"0123456789abcdef\"}]}");

        assertThat(capture.inputMessages(request)).contains("\"content\":\"0123456789…\"");
        assertThat(capture.systemInstructions(request)).isNull();
        assertThat(capture.outputMessages("streamed answer", List.of("length")))
                .isEqualTo("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"streamed a…\"}],\"finish_reason\":\"length\"}]");
    }

    @Test
    void anAnswersToolCallsAreCapturedAfterItsText() {
        var completion = Json.parseObject("""
                {"choices":[{"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
                 "tool_calls":[{"id":"c2","type":"function","function":{"name":"get_time","arguments":"{\\"a\\":1}"}}]}}]}""");

        assertThat(capture.outputMessages(completion)).isEqualTo("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"\"},"
                + "{\"type\":\"tool_call\",\"id\":\"c2\",\"name\":\"get_time\",\"arguments\":\"{\\\"a\\\":1}\"}],"
                + "\"finish_reason\":\"tool_calls\"}]");
    }

    /** Whatever shape a client gives its messages, capture reads what it can and never fails the request. */
    @Test
    void malformedMessagesAreReadAsFarAsTheyGoNeverThrown() {
        var request = Json.parseObject("""
                {"messages":[1,"x",{"role":"assistant","tool_calls":[1,"y",{"function":7}]},{"role":"user","content":[2,{"type":3}]},
                 {"role":"tool","content":{"a":1}}]}""");
        assertThat(capture.inputMessages(request)).startsWith("[{\"role\":\"assistant\"");
        assertThat(capture.outputMessages(Json.parseObject("{\"choices\":[1,{\"message\":5}]}"))).startsWith("[");
    }

    @Test
    void aConversationLongerThanOneAttributeIsCutAtWholeMessagesAndStaysJson() {
        ContentCapture small = new ContentCapture(new TracingSettings(true, 1000, 600, false, false, RequestExportSettings.DEFAULTS));
        StringBuilder messages = new StringBuilder("{\"messages\":[");
        for (int i = 0; i < 50; i++) {
            messages.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":\"message ").append(i).append(" \\\"quoted\\\" ").append("x".repeat(40)).append("\"}");
        }
        String captured = small.inputMessages(Json.parseObject(messages.append("]}").toString()));
        assertThat(captured.length()).isLessThanOrEqualTo(600);
        assertThat(Json.parseObject("{\"m\":" + captured + "}").getJsonArray("m")).isNotEmpty();
        assertThat(captured).contains("more messages left out");
    }

    /** An agent loop's tool answers and an answer of many tool calls: each attribute stays whole JSON within its limit. */
    @Test
    void toolAnswersAndToolCallsStayWithinOneAttributeAndStayJson() {
        ContentCapture small = new ContentCapture(new TracingSettings(true, 1000, 600, false, false, RequestExportSettings.DEFAULTS));
        StringBuilder messages = new StringBuilder("{\"messages\":[{\"role\":\"user\",\"content\":\"go\"}");
        StringBuilder calls = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            messages.append(",{\"role\":\"tool\",\"tool_call_id\":\"call_").append(i).append("\",\"content\":\"ok\"}");
            calls.append(i == 0 ? "" : ",").append("{\"id\":\"call_").append(i).append("\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}");
        }
        String input = small.inputMessages(Json.parseObject(messages.append("]}").toString()));
        String output = small.outputMessages(Json.parseObject("{\"choices\":[{\"finish_reason\":\"" + "r".repeat(900) + "\",\"message\":"
                + "{\"role\":\"assistant\",\"content\":\"calling\",\"tool_calls\":[" + calls + "]}}]}"));

        for (String captured : List.of(input, output)) {
            assertThat(captured.length()).isLessThanOrEqualTo(600);
            assertThat(Json.parseObject("{\"m\":" + captured + "}").getJsonArray("m")).isNotEmpty();
        }
        assertThat(input).contains("tool_call_response").contains("more messages left out");
        assertThat(output).contains("\"name\":\"f\"");
    }
}
