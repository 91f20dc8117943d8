package dev.llmgateway.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayMetricsTest {

    @Test
    void recordsWithBoundedLabelsInPrometheusNaming() throws IOException {
        GatewayMetrics metrics = GatewayMetrics.shared();
        metrics.request("chat_completions", "team-a", 502, 2_000_000, 1_500_000);
        metrics.inference("embeddings", null, null, "gpt", "openai", "error");
        metrics.tokens("embeddings", "gpt", "openai", 10, 0);
        metrics.attempt("embeddings", "openai", "timeout", 1_000_000);

        String text = scrape(metrics);
        assertThat(text)
                .contains("gateway_requests_total{api_key=\"team-a\",endpoint=\"chat_completions\",status_class=\"5xx\"}")
                .contains("gateway_inferences_total{function=\"\",model=\"gpt\",operation=\"embeddings\",outcome=\"error\",provider=\"openai\",variant=\"\"}")
                .contains("gateway_tokens_total{model=\"gpt\",operation=\"embeddings\",provider=\"openai\",token_type=\"input\"} 10.0")
                .doesNotContain("token_type=\"output\"")
                .contains("gateway_overhead_seconds_bucket{endpoint=\"chat_completions\",le=\"5.0E-4\"} 1")
                .contains("gen_ai_client_operation_duration_seconds_count{operation=\"embeddings\",outcome=\"timeout\",provider=\"openai\"} 1");
    }

    private static String scrape(GatewayMetrics metrics) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
