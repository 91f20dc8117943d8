package dev.llmgateway.health;

import dev.llmgateway.testing.ServletFakes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class StartupFilterTest {

    /** One test for both states: the state is the deployment's, shared by everything in this JVM. */
    @Test
    void nothingPassesBeforeDeploymentCompletesAndEverythingAfter() throws Exception {
        StartupFilter filter = new StartupFilter();
        AtomicBoolean passed = new AtomicBoolean();
        FilterChain chain = (request, response) -> passed.set(true);

        Map<String, Object> chat = new HashMap<>();
        filter.doFilter(request("/v1/chat/completions"), response(chat), chain);
        Map<String, Object> health = new HashMap<>();
        filter.doFilter(request("/health"), response(health), chain);

        assertThat(passed).isFalse();
        assertThat(chat.get("status")).isEqualTo(503);
        assertThat(chat.get("Retry-After")).isEqualTo("1");
        assertThat(chat.get("body").toString()).contains("\"code\":\"gateway_starting\"");
        assertThat(health.get("status")).isEqualTo(503);
        assertThat(health.get("body").toString()).isEqualTo("{\"status\":\"DOWN\",\"checks\":[]}");

        Startup.finish();
        filter.doFilter(request("/v1/chat/completions"), response(new HashMap<>()), chain);
        assertThat(passed).isTrue();
    }

    private static HttpServletRequest request(String path) {
        return ServletFakes.request((proxy, method, args) -> method.getName().equals("getServletPath") ? path : null);
    }

    private static HttpServletResponse response(Map<String, Object> seen) {
        ByteArrayOutputStream body = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(int b) {
                super.write(b);
                seen.put("body", toString(StandardCharsets.UTF_8));
            }
        };
        return ServletFakes.response((proxy, method, args) -> switch (method.getName()) {
            case "setStatus" -> seen.put("status", args[0]);
            case "setHeader" -> seen.put((String) args[0], args[1]);
            case "getOutputStream" -> ServletFakes.into(body);
            default -> null;
        });
    }
}
