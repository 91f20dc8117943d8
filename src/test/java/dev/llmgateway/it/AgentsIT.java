package dev.llmgateway.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claude Code and Codex CLI, the pinned versions .ci/install-agents puts in $AGENTS_HOME, run headless through the
 * gateway and complete a turn: against the dummy (one that calls a tool and reads its result), an OpenAI-compatible stub,
 * and for Claude Code an Anthropic stub. Each agent's session reaches the inference's log record as its conversation.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AgentsIT {

    private static final Duration TURN = Duration.ofSeconds(180);
    private static final Pattern CLAUDE_SESSION = Pattern.compile("\"session_id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern CODEX_THREAD = Pattern.compile("\"thread_id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    private static Path bin;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return GatewayDeployment.withRouting();
    }

    @BeforeAll
    static void agents() {
        Path home = Path.of(System.getenv().getOrDefault("AGENTS_HOME", System.getProperty("user.home") + "/.cache/llm-gateway/agents"));
        bin = home.resolve("node_modules/.bin");
        boolean installed = Files.isExecutable(bin.resolve("claude")) && Files.isExecutable(bin.resolve("codex"));
        if (!installed && !"1".equals(System.getenv("AGENTS_REQUIRED"))) {
            Assumptions.abort("the coding agents are not installed in " + home + ": run .ci/install-agents (.ci/run does)");
        }
        assertThat(installed).as("Claude Code and Codex in " + bin + " (.ci/install-agents)").isTrue();
    }

    @Test
    void claudeCodeCallsAToolThroughTheDummyAndFinishesItsTurn() throws Exception {
        Path work = Files.createTempDirectory("claude-dummy");
        Path notes = work.resolve("notes.txt");
        Files.writeString(notes, "gateway notes: alpha beta gamma\n");

        Run run = claude(work, "dummy", "Read my notes. [[tool Read {\"file_path\":\"" + notes + "\"}]]");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("\"is_error\":false").contains("Tool result:").contains("alpha");
        assertSessionRecorded(run.matching(CLAUDE_SESSION), "dummy");
    }

    @Test
    void claudeCodeFinishesATurnOverAnOpenAiProviderAndAnAnthropicOne() throws Exception {
        Run overChat = claude(Files.createTempDirectory("claude-chat"), "echo", "Say hello.");
        assertThat(overChat.exit()).as(overChat.output()).isZero();
        assertThat(overChat.output()).contains("\"is_error\":false").contains(String.join("", UpstreamStub.STREAMED_WORDS));
        assertSessionRecorded(overChat.matching(CLAUDE_SESSION), "echo");

        Run toAnthropic = claude(Files.createTempDirectory("claude-anthropic"), "claude", "What is the capital of France?");
        assertThat(toAnthropic.exit()).as(toAnthropic.output()).isZero();
        assertThat(toAnthropic.output()).contains("\"is_error\":false").contains("Paris.");
        UpstreamStub.Received sent = UpstreamStub.shared().last("anthropic");
        assertThat(sent.header("anthropic-beta")).as("Claude Code's beta features reach Anthropic").isNotBlank();
        assertThat(sent.body()).contains("\"model\":\"claude-sonnet-4-5\"", "cache_control");
        assertSessionRecorded(toAnthropic.matching(CLAUDE_SESSION), "claude");
    }

    @Test
    void codexRunsAShellCommandThroughTheDummyAndFinishesItsTurn() throws Exception {
        Path work = Files.createTempDirectory("codex-dummy");
        Files.writeString(work.resolve("notes.txt"), "codex notes: delta epsilon\n");

        Run run = codex(work, "dummy", "Show my notes. [[tool exec_command {\"cmd\":\"cat notes.txt\"}]]");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("\"type\":\"turn.completed\"").contains("Tool result:").contains("delta");
        assertSessionRecorded(run.matching(CODEX_THREAD), "dummy");
    }

    @Test
    void codexFinishesATurnOverAnOpenAiCompatibleProvider() throws Exception {
        Run run = codex(Files.createTempDirectory("codex-chat"), "echo", "Say hello.");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("\"type\":\"turn.completed\"");
    }

    /** The inference log record of one of the session's calls names the session as its conversation. */
    private static void assertSessionRecorded(String session, String model) {
        OtlpReceiver.ReceivedLog record = OtlpReceiver.shared().awaitLog(r -> session.equals(r.string("gen_ai.conversation.id")), Duration.ofSeconds(20));
        assertThat(record.string("gateway.model")).isEqualTo(model);
    }

    private Run claude(Path work, String model, String prompt) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("claude-home");
        List<String> command = List.of(bin.resolve("claude").toString(), "-p", prompt, "--output-format", "json", "--model", model,
                "--allowedTools", "Read", "--max-turns", "4");
        return run(work, command, Map.of(
                "HOME", home.toString(),
                "CLAUDE_CONFIG_DIR", home.resolve(".claude").toString(),
                "ANTHROPIC_BASE_URL", RawHttp.uri(base, "").toString().replaceAll("/$", ""),
                "ANTHROPIC_API_KEY", "client-key",
                "ANTHROPIC_SMALL_FAST_MODEL", model,
                "ANTHROPIC_DEFAULT_HAIKU_MODEL", model,
                "DISABLE_TELEMETRY", "1",
                "DISABLE_AUTOUPDATER", "1",
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"));
    }

    private Run codex(Path work, String model, String prompt) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("codex-home");
        Files.writeString(home.resolve("config.toml"), """
                model_provider = "gateway"
                [model_providers.gateway]
                name = "gateway"
                base_url = "%s"
                env_key = "GATEWAY_KEY"
                wire_api = "responses"
                request_max_retries = 0
                stream_max_retries = 0
                """.formatted(RawHttp.uri(base, "/v1").toString()));
        List<String> command = List.of(bin.resolve("codex").toString(), "exec", "--skip-git-repo-check", "--dangerously-bypass-approvals-and-sandbox",
                "--ephemeral", "--json", "-m", model, prompt);
        return run(work, command, Map.of("HOME", home.toString(), "CODEX_HOME", home.toString(), "GATEWAY_KEY", "client-key"));
    }

    private static Run run(Path work, List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().keySet().removeIf(name -> name.startsWith("ANTHROPIC_") || name.startsWith("OPENAI_") || name.startsWith("CODEX_"));
        builder.environment().putAll(environment);
        Path output = Files.createTempFile("agent", ".out");
        builder.redirectOutput(output.toFile());
        Process process = builder.start();
        boolean ended = process.waitFor(TURN.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        System.out.println(String.join(" ", command.subList(0, 2)) + " → " + (ended ? process.exitValue() : "timed out") + "\n" + tail(text));
        return new Run(ended ? process.exitValue() : -1, text);
    }

    private static String tail(String text) {
        return text.length() <= 4_000 ? text : "…" + text.substring(text.length() - 4_000);
    }

    record Run(int exit, String output) {
        String matching(Pattern pattern) {
            Matcher matcher = pattern.matcher(output);
            assertThat(matcher.find()).as("a session id in " + tail(output)).isTrue();
            return matcher.group(1);
        }
    }
}
