package dev.llmgateway.telemetry;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InferenceLogTest {

    @Test
    void durationsReadAsMillisecondsWithOneDecimal() {
        Map.of(0L, "0.0", 49_999L, "0.0", 50_000L, "0.1", 1_234_567L, "1.2", 12_345_678_901L, "12345.7", 999_950_000L, "1000.0")
                .forEach((nanos, text) -> assertThat(InferenceLog.millisWithTenths(nanos)).as("%d ns", nanos).isEqualTo(text));
    }
}
