package dev.llmgateway.api;

import dev.llmgateway.events.UnexpectedFailure;
import dev.llmgateway.testing.RecordedEvents;
import dev.llmgateway.testing.ServletFakes;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorPageServletTest {

    private static final class EscapedFromAFilter extends RuntimeException {
    }

    @Test
    void aFailureEscapingToTheContainerIsAnsweredAndCountedAsUnexpected() throws IOException {
        RecordedEvents recorded = new RecordedEvents();

        Map<String, Object> answer = errorPage(500, new EscapedFromAFilter(), recorded);

        assertThat(answer.get("status")).isEqualTo(500);
        assertThat(answer.get("body").toString()).contains("\"code\":\"internal_error\"").doesNotContain("EscapedFromAFilter");
        assertThat(recorded.of(UnexpectedFailure.class)).singleElement().satisfies(f -> assertThat(f.failure()).isInstanceOf(EscapedFromAFilter.class));
    }

    @Test
    void libertysOwn404WithAnExceptionStaysA404AndAClientGoneIsNotCounted() throws IOException {
        RecordedEvents recorded = new RecordedEvents();
        assertThat(errorPage(404, new FileNotFoundException("SRVE0190E"), recorded).get("status")).isEqualTo(404);
        assertThat(errorPage(500, new IOException("Connection is closed"), recorded).get("status")).isEqualTo(500);
        assertThat(recorded.all()).isEmpty();
    }

    private static Map<String, Object> errorPage(int status, Throwable escaped, RecordedEvents recorded) throws IOException {
        Map<String, Object> seen = new HashMap<>();
        HttpServletRequest request = ServletFakes.request((proxy, method, args) -> !method.getName().equals("getAttribute") ? null
                : RequestDispatcher.ERROR_STATUS_CODE.equals(args[0]) ? status
                : RequestDispatcher.ERROR_EXCEPTION.equals(args[0]) ? escaped : null);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        HttpServletResponse response = ServletFakes.response((proxy, method, args) -> switch (method.getName()) {
            case "setStatus" -> seen.put("status", args[0]);
            case "getOutputStream" -> ServletFakes.into(body);
            default -> null;
        });
        ErrorPageServlet servlet = new ErrorPageServlet();
        servlet.events = recorded.events();
        servlet.service(request, response);
        seen.put("body", body.toString(StandardCharsets.UTF_8));
        return seen;
    }
}
