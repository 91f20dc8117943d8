package dev.llmgateway.api;

import dev.llmgateway.testing.GatewayCounters;
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
        double before = unexpected("EscapedFromAFilter");

        Map<String, Object> answer = errorPage(500, new EscapedFromAFilter());

        assertThat(answer.get("status")).isEqualTo(500);
        assertThat(answer.get("body").toString()).contains("\"code\":\"internal_error\"").doesNotContain("EscapedFromAFilter");
        assertThat(unexpected("EscapedFromAFilter") - before).isEqualTo(1);
    }

    @Test
    void libertysOwn404WithAnExceptionStaysA404AndAClientGoneIsNotCounted() throws IOException {
        assertThat(errorPage(404, new FileNotFoundException("SRVE0190E")).get("status")).isEqualTo(404);
        double before = unexpected("IOException");
        assertThat(errorPage(500, new IOException("Connection is closed")).get("status")).isEqualTo(500);
        assertThat(unexpected("IOException")).isEqualTo(before);
    }

    private static Map<String, Object> errorPage(int status, Throwable escaped) throws IOException {
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
        new ErrorPageServlet().service(request, response);
        seen.put("body", body.toString(StandardCharsets.UTF_8));
        return seen;
    }

    private static double unexpected(String kind) {
        return GatewayCounters.sum("gateway_unexpected_failures", "kind", kind);
    }
}
