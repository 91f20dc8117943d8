package dev.llmgateway.metrics;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The scrape endpoint: Prometheus text format, or OpenMetrics when the scraper asks for it. Served at
 * {@code /metrics} and, for servers whose own metrics own that path, at {@code /gateway/metrics}.
 */
@WebServlet({"/metrics", "/gateway/metrics"})
public class MetricsServlet extends HttpServlet {

    private static final ExpositionFormatWriter PROMETHEUS = PrometheusTextFormatWriter.create();
    private static final ExpositionFormatWriter OPEN_METRICS = OpenMetricsTextFormatWriter.create();

    @Inject
    GatewayMetrics metrics;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ExpositionFormatWriter writer = OPEN_METRICS.accepts(request.getHeader("Accept")) ? OPEN_METRICS : PROMETHEUS;
        ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
        writer.write(body, metrics.registry().scrape());
        response.setContentType(writer.getContentType());
        response.setContentLength(body.size());
        body.writeTo(response.getOutputStream());
    }
}
