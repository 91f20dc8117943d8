package dev.llmgateway;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What no Docker engine here can run is at least checked: the compose file parses and wires the gateway to
 * Jaeger, and the Dockerfile builds with the documented build command (docs/deployment.md), pins its images and
 * checks health.
 */
class DeploymentFilesTest {

    @Test
    @SuppressWarnings("unchecked")
    void theJaegerExampleWiresTheGatewayToJaegersOtlpPort() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("examples/jaeger/compose.yaml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> gateway = (Map<String, Object>) services.get("gateway");
        Map<String, Object> jaeger = (Map<String, Object>) services.get("jaeger");

        Map<String, Object> build = (Map<String, Object>) gateway.get("build");
        assertThat(Path.of("examples/jaeger").resolve((String) build.get("context")).resolve("Dockerfile").normalize()).exists();
        assertThat(dockerfile()).contains("AS " + build.get("target"));
        Map<String, String> environment = (Map<String, String>) gateway.get("environment");
        assertThat(environment).containsEntry("GATEWAY_TRACING_ENABLED", "true");
        assertThat(environment.get("GATEWAY_TRACING_ENDPOINT")).isEqualTo("http://jaeger:4317");
        assertThat((List<String>) gateway.get("ports")).contains("8080:8080");
        assertThat((List<String>) jaeger.get("ports")).contains("16686:16686", "4317:4317");
        assertThat((String) jaeger.get("image")).matches("[a-z/]+:\\d+\\.\\d+\\.\\d+");
    }

    @Test
    void theImageBuildsWithTheDocumentedCommand() throws IOException {
        String deployment = Files.readString(Path.of("docs/deployment.md"));
        Matcher build = Pattern.compile("RUN (\\./mvnw .*package)").matcher(dockerfile());
        assertThat(build.find()).isTrue();
        assertThat(deployment).contains(build.group(1));
    }

    @Test
    void everyStagePinsItsImageAndEveryRuntimeChecksHealth() throws IOException {
        Matcher from = Pattern.compile("(?m)^FROM (\\S+)").matcher(dockerfile());
        int stages = 0;
        while (from.find()) {
            stages++;
            assertThat(from.group(1)).matches(".+:[^:]*\\d[^:]*").doesNotEndWith(":latest");
        }
        assertThat(stages).isEqualTo(3);
        assertThat(dockerfile().split("HEALTHCHECK", -1)).hasSize(3);
        assertThat(dockerfile()).doesNotContain("USER root");
    }

    private static String dockerfile() throws IOException {
        return Files.readString(Path.of("Dockerfile"));
    }
}
