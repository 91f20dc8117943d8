package dev.llmgateway;

import dev.llmgateway.config.ConfigView;
import dev.llmgateway.config.SettingsBinder;
import dev.llmgateway.telemetry.TracingConfigSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration reference (docs/configuration.md) lists exactly the settings the code reads. */
class ConfigurationReferenceTest {

    private static final Pattern ROW = Pattern.compile("^\\| `(gateway\\.[^`]+)` \\|");

    @Test
    void everySettingTheCodeReadsIsDocumentedAndNothingElse() throws IOException {
        assertThat(documented()).isEqualTo(read());
    }

    @Test
    void everyVariableInTheExamplesIsADocumentedSetting() throws IOException {
        Set<String> documented = documented();
        String compose = Files.readString(Path.of("examples/jaeger/compose.yaml"));
        Matcher env = Pattern.compile("(GATEWAY_[A-Z0-9_]+):").matcher(compose);
        while (env.find()) {
            String variable = env.group(1);
            assertThat(documented.stream().anyMatch(property -> matches(property, variable)))
                    .as("%s in compose.yaml is a documented setting", variable).isTrue();
        }
    }

    @Test
    void everyGatewayVariableInServerXmlIsADocumentedSettingOrTheServersOwn() throws IOException {
        Set<String> documented = documented();
        Set<String> serversOwn = Set.of("gateway.http.host", "gateway.http.port", "gateway.http.threads", "gateway.app.config");
        Matcher variable = Pattern.compile("<variable name=\"(gateway\\.[^\"]+)\"").matcher(Files.readString(Path.of("server-config/liberty/server.xml")));
        int found = 0;
        while (variable.find()) {
            String name = variable.group(1);
            found++;
            assertThat(serversOwn.contains(name) || documented.stream().anyMatch(p -> name.matches(p.replaceAll("<[^>]+>", "\u0000")
                    .replace(".", "\\.").replace("\u0000", "[^.]+"))))
                    .as("server.xml variable %s", name).isTrue();
        }
        assertThat(found).isGreaterThan(serversOwn.size());
    }

    /** Property names in the reference table, placeholders kept. */
    static Set<String> documented() throws IOException {
        Set<String> properties = new TreeSet<>();
        boolean inReference = false;
        for (String line : Files.readAllLines(Path.of("docs/configuration.md"))) {
            if (line.startsWith("#")) {
                // the reference section only: other tables name metrics under gateway.* too
                inReference = line.equals("## Configuration reference");
            }
            Matcher m = ROW.matcher(line);
            if (inReference && m.find()) {
                properties.add(m.group(1));
            }
        }
        return properties;
    }

    /** Every property the binder asks for, bound against a configuration that uses every feature. */
    private static Set<String> read() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("gateway.providers", "P,A");
        config.put("gateway.provider.P.type", "openai");
        config.put("gateway.provider.P.header.H", "v");
        config.put("gateway.provider.A.type", "anthropic");
        config.put("gateway.models", "M");
        config.put("gateway.model.M.routing", "P");
        config.put("gateway.functions", "F");
        config.put("gateway.function.F.variants", "V");
        config.put("gateway.function.F.variant.V.model", "M");
        config.put("gateway.function.F.variant.V.param.X", "1");
        config.put("gateway.auth.key.K.sha256", "a".repeat(64));
        config.put("gateway.auth.key.K.export-header.H", "v");
        Set<String> asked = new TreeSet<>();
        SettingsBinder.bind(new ConfigView() {
            @Override
            public Optional<String> get(String name) {
                asked.add(name);
                return Optional.ofNullable(config.get(name));
            }

            @Override
            public Iterable<String> names() {
                return List.copyOf(config.keySet());
            }
        });
        Set<String> properties = new TreeSet<>(TracingConfigSource.gatewaySettings());
        // OpenTelemetry's own settings (read for their export headers' secrets) are documented by OpenTelemetry
        for (String name : asked.stream().filter(name -> !name.startsWith("otel.")).toList()) {
            properties.add(name
                    .replace("gateway.price.P/M.", "gateway.price.<provider>/<model>.").replace("gateway.price.M.", "gateway.price.<model>.")
                    .replaceAll("^(gateway\\.price\\..*)\\.(input|output|cache-read|cache-write|reasoning)$", "$1.<field>")
                    .replace("gateway.provider.P.", "gateway.provider.<name>.").replace("gateway.provider.A.", "gateway.provider.<name>.")
                    .replace("gateway.model.M.", "gateway.model.<name>.")
                    .replace("gateway.auth.key.K.", "gateway.auth.key.<name>.")
                    .replace("gateway.function.F.variant.V.", "gateway.function.<f>.variant.<v>.")
                    .replace("gateway.function.F.", "gateway.function.<f>.")
                    .replace(".header.H", ".header.<Header-Name>").replace("-header.H", "-header.<Header-Name>")
                    .replace(".param.X", ".param.<parameter>"));
        }
        return properties;
    }

    private static boolean matches(String property, String variable) {
        String pattern = property.replaceAll("<[^>]+>", "\u0000").replaceAll("[^A-Za-z0-9\u0000]", "_").toUpperCase()
                .replace("\u0000", "[A-Z0-9_]+");
        return variable.matches(pattern);
    }
}
