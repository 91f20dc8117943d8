package dev.llmgateway.it;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The WAR the build produced, with the test configuration merged into its microprofile-config.properties:
 * the dummy default plus providers and models pointing at the {@link UpstreamStub}.
 */
public final class GatewayDeployment {

    public static final String PROVIDER_KEY = "sk-test-provider-key";
    public static final long MAX_BODY_BYTES = 64 * 1024;
    private static final String CONFIG = "WEB-INF/classes/META-INF/microprofile-config.properties";

    private GatewayDeployment() {
    }

    public static WebArchive withStubProviders() {
        UpstreamStub stub = UpstreamStub.shared();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("gateway.test.stub-key", PROVIDER_KEY);
        config.put("gateway.providers", "dummy,stub,stub-renamed,stub-impatient,nowhere");
        config.put("gateway.provider.stub.type", "openai");
        config.put("gateway.provider.stub.base-url", stub.baseUrl());
        // an expression, as users write ${OPENAI_API_KEY}
        config.put("gateway.provider.stub.api-key", "${gateway.test.stub-key}");
        config.put("gateway.provider.stub.header.X-Team", "gateway-tests");
        config.put("gateway.provider.stub-renamed.type", "openai");
        config.put("gateway.provider.stub-renamed.base-url", stub.baseUrl());
        config.put("gateway.provider.stub-renamed.model", "echo-model");
        config.put("gateway.provider.stub-impatient.type", "openai");
        config.put("gateway.provider.stub-impatient.base-url", stub.baseUrl());
        config.put("gateway.provider.stub-impatient.first-byte-timeout-ms", "500");
        config.put("gateway.provider.nowhere.type", "openai");
        config.put("gateway.provider.nowhere.base-url", "http://127.0.0.1:1/v1");
        config.put("gateway.models", "dummy,echo-model,renamed,fail-500,fail-401,fail-400,fail-429,slow,break-mid-stream,unreachable");
        for (String model : new String[]{"echo-model", "fail-500", "fail-401", "fail-400", "fail-429", "break-mid-stream"}) {
            config.put("gateway.model." + model + ".routing", "stub");
        }
        config.put("gateway.model.renamed.routing", "stub-renamed");
        config.put("gateway.model.slow.routing", "stub-impatient");
        config.put("gateway.model.unreachable.routing", "nowhere");
        config.put("gateway.request.max-body-bytes", Long.toString(MAX_BODY_BYTES));
        return war(config);
    }

    static WebArchive war(Map<String, String> overrides) {
        File built = new File(System.getProperty("gateway.war", "target/llm-gateway.war"));
        WebArchive war = ShrinkWrap.createFromZipFile(WebArchive.class, built);
        Properties config = new Properties();
        try (InputStream in = war.get(CONFIG).getAsset().openStream()) {
            config.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.putAll(overrides);
        StringWriter text = new StringWriter();
        try {
            config.store(text, "test configuration");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        war.delete(CONFIG);
        war.add(new StringAsset(text.toString()), CONFIG);
        return war;
    }
}
