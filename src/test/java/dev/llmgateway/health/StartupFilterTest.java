package dev.llmgateway.health;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
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
        return (HttpServletRequest) Proxy.newProxyInstance(StartupFilterTest.class.getClassLoader(), new Class<?>[]{HttpServletRequest.class},
                (proxy, method, args) -> method.getName().equals("getServletPath") ? path : null);
    }

    private static HttpServletResponse response(Map<String, Object> seen) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }

            @Override
            public void write(int b) {
                body.write(b);
                seen.put("body", body.toString(StandardCharsets.UTF_8));
            }
        };
        return (HttpServletResponse) Proxy.newProxyInstance(StartupFilterTest.class.getClassLoader(), new Class<?>[]{HttpServletResponse.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "setStatus" -> seen.put("status", args[0]);
                    case "setHeader" -> seen.put((String) args[0], args[1]);
                    case "getOutputStream" -> out;
                    default -> null;
                });
    }
}
