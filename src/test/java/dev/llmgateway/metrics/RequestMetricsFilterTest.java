package dev.llmgateway.metrics;

import dev.llmgateway.testing.ServletFakes;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestMetricsFilterTest {

    /** The container answers an escaped failure with 500 after the filter returned, while the response still says 200. */
    @Test
    void aFailureEscapingTheChainIsCountedAs5xx() {
        double before = count("5xx");
        FilterChain failing = (request, response) -> {
            throw new IllegalStateException("a bug");
        };

        RequestMetricsFilter filter = new RequestMetricsFilter();
        filter.genAi = dev.llmgateway.telemetry.GenAiMetrics.on(io.opentelemetry.api.OpenTelemetry.noop());
        assertThatThrownBy(() -> filter.doFilter(request(), response(), failing)).isInstanceOf(IllegalStateException.class);

        assertThat(count("5xx") - before).isEqualTo(1);
    }

    private static double count(String statusClass) {
        return GatewayMetrics.shared().registry().scrape().stream()
                .filter(s -> s.getMetadata().getPrometheusName().equals("gateway_requests"))
                .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
                .filter(p -> statusClass.equals(p.getLabels().get("status_class")) && "chat_completions".equals(p.getLabels().get("endpoint")))
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
    }

    private static HttpServletRequest request() {
        return ServletFakes.request((proxy, method, args) -> method.getName().equals("getServletPath") ? "/v1/chat/completions" : null);
    }

    private static HttpServletResponse response() {
        return ServletFakes.response((proxy, method, args) -> method.getName().equals("getStatus") ? 200 : null);
    }
}
