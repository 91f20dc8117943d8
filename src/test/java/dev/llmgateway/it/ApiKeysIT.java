package dev.llmgateway.it;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.llmgateway.it.OtlpReceiver.ReceivedSpan;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Gateway API keys: required on the API once configured, named in telemetry, never leaked anywhere. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ApiKeysIT {

    private static final String CHAT = "{\"model\":\"echo-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return GatewayDeployment.withApiKeys();
    }

    private OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(RawHttp.uri(base, "/v1").toString()).apiKey(key).maxRetries(0).build();
    }

    @Test
    void aMissingOrWrongKeyIs401InOpenAisShape() {
        for (HttpResponse<String> response : List.of(
                RawHttp.post(base, "/v1/chat/completions", CHAT),
                withKey("/v1/chat/completions", "gw-wrong-key"),
                withKey("/v1/models", GatewayDeployment.CLIENT_KEY + "x"))) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(response.body()).startsWith("{\"error\":{\"message\":").contains("\"code\":\"invalid_api_key\"")
                    .doesNotContain("gw-wrong-key");
        }
        assertThatThrownBy(() -> client("gw-wrong-key").chat().completions()
                .create(ChatCompletionCreateParams.builder().model("echo-model").addUserMessage("hi").build()))
                .isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void theRightKeyWorksThroughTheSdkAndIsNamedButNeverShown() {
        ChatCompletion completion = client(GatewayDeployment.CLIENT_KEY).chat().completions()
                .create(ChatCompletionCreateParams.builder().model("echo-model").addUserMessage("hi").build());
        assertThat(completion.choices().get(0).message().content()).contains(UpstreamStub.COMPLETION_TEXT);

        // the upstream got the provider's key, not the client's
        assertThat(UpstreamStub.shared().last("echo-model").header("Authorization")).isEqualTo("Bearer " + GatewayDeployment.PROVIDER_KEY);
        ReceivedSpan model = OtlpReceiver.shared().await(s -> "gateway-with-keys".equals(s.resourceAttribute("service.name"))
                && s.name().equals("model_inference echo-model"), Duration.ofSeconds(20));
        assertThat(model.string("gateway.api_key")).isEqualTo("team-a");

        assertThat(UpstreamStub.shared().last("echo-model").header("x-portkey-api-key")).isEqualTo(GatewayDeployment.PROVIDER_HEADER_SECRET);

        // planted secrets: no key nor provider header value appears in any exported span, the log, the model list or an error
        List<String> answers = List.of(withKey("/v1/models", GatewayDeployment.CLIENT_KEY).body(),
                withKey("/v1/models/echo-model", GatewayDeployment.CLIENT_KEY).body(), withKey("/v1/chat/completions", "wrong").body(),
                withKey("/metrics", GatewayDeployment.CLIENT_KEY).body());
        List<String> log = ServerLog.lines();
        assertThat(log).as("the log this search reads has the deployment in it").anyMatch(line -> line.contains("LLM gateway configured"));
        for (String secret : List.of(GatewayDeployment.CLIENT_KEY, GatewayDeployment.PROVIDER_KEY, GatewayDeployment.PROVIDER_HEADER_SECRET)) {
            assertThat(OtlpReceiver.shared().spans()).noneMatch(s -> s.span().toString().contains(secret) || s.resource().toString().contains(secret));
            assertThat(log).noneMatch(line -> line.contains(secret));
            assertThat(answers).noneMatch(body -> body.contains(secret));
        }
    }

    @Test
    void healthStaysOpenAndMetricsNeedTheKeyWhenProtected() {
        assertThat(RawHttp.get(base, "/health").statusCode()).isEqualTo(200);
        assertThat(RawHttp.get(base, "/metrics").statusCode()).isEqualTo(401);
        RawHttp.post(base, "/v1/chat/completions", CHAT);
        withKey("/v1/models", GatewayDeployment.CLIENT_KEY);

        HttpResponse<String> metrics = withKey("/metrics", GatewayDeployment.CLIENT_KEY);
        assertThat(metrics.statusCode()).isEqualTo(200);
        Scrape scrape = new Scrape(metrics.body());
        assertThat(scrape.sum("gateway_requests_total", "status_class=\"4xx\"", "api_key=\"\"")).isPositive();
        assertThat(scrape.sum("gateway_requests_total", "endpoint=\"models\"", "api_key=\"team-a\"")).isPositive();
        assertThat(metrics.body()).doesNotContain(GatewayDeployment.CLIENT_KEY);
    }

    @Test
    void noSpellingOfAnApiOrScrapePathIsServedWithoutAKey() {
        List<String> served = PathSpellings.assertNoneServedWithoutAKey(base, Map.of("/v1/chat/completions", "POST", "/v1/embeddings", "POST", "/v1/completions", "POST", "/v1/responses", "POST", "/v1/messages", "POST",
                "/v1/messages/count_tokens", "POST", "/v1/models", "GET",
                "/v1/models/echo-model", "GET", "/metrics", "GET", "/gateway/metrics", "GET"), Map.of("Authorization", "Bearer " + GatewayDeployment.CLIENT_KEY));
        assertThat(served).as("the table reaches real endpoints through unusual spellings, so it could fail")
                .anyMatch(what -> what.contains("embeddings")).anyMatch(what -> what.contains("/completions") && !what.contains("chat")).anyMatch(what -> what.contains("responses"))
                .anyMatch(what -> what.contains("%76%31")).anyMatch(what -> what.contains("metrics")).hasSizeGreaterThan(20);
    }

    @Test
    void anthropicSdksKeyInXApiKeyWorksAndTwoDifferentKeysAreRefused() {
        HttpResponse<String> viaHeader = RawHttp.send(HttpRequest.newBuilder(RawHttp.uri(base, "/v1/chat/completions"))
                .header("x-api-key", GatewayDeployment.CLIENT_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)));
        assertThat(viaHeader.statusCode()).isEqualTo(200);
        HttpResponse<String> both = RawHttp.send(HttpRequest.newBuilder(RawHttp.uri(base, "/v1/chat/completions"))
                .header("x-api-key", GatewayDeployment.CLIENT_KEY).header("Authorization", "Bearer gw-someone-else")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(CHAT)));
        assertThat(both.statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> withKey(String path, String key) {
        return RawHttp.send(HttpRequest.newBuilder(RawHttp.uri(base, path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(path.contains("chat") ? "POST" : "GET", path.contains("chat")
                        ? HttpRequest.BodyPublishers.ofString(CHAT) : HttpRequest.BodyPublishers.noBody()));
    }
}
