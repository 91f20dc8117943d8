package dev.llmgateway.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The built WAR on the runtime of this test run, started as its run configuration starts it (the heap of
 * {@code ./mvnw -Prun} or Liberty's jvm.options, and the images' {@code -XX:+ExitOnOutOfMemoryError}), outside
 * Arquillian: for what happens from the process's first second and to the process itself.
 */
final class StandaloneGateway implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private StandaloneGateway(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static boolean liberty() {
        return "liberty".equals(System.getProperty("arquillian.launch"));
    }

    /** The JDK the tests run on (21 or later, as the build requires), not whatever java the PATH finds first. */
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    static StandaloneGateway start(Map<String, String> environment) throws IOException {
        return start(environment, liberty(), false);
    }

    /**
     * The WAR on the runtime this test run does not start, beside it, with the tests' PostgreSQL as the ledger's data
     * source (the environment's LEDGER_POSTGRES_*): two instances of both runtimes on one database.
     */
    static StandaloneGateway startOtherRuntime(Map<String, String> environment) throws IOException {
        return start(environment, !liberty(), true);
    }

    private static StandaloneGateway start(Map<String, String> environment, boolean onLiberty, boolean postgres) throws IOException {
        int port = freePort();
        Path log = Path.of("target", "standalone-" + (onLiberty ? "liberty" : "payara") + ".log");
        ProcessBuilder builder = onLiberty ? libertyServer(port) : payaraMicro(port, postgres);
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return new StandaloneGateway(builder.start(), port, log);
    }

    private static ProcessBuilder payaraMicro(int port, boolean postgres) {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-Xms64m", "-Xmx256m", "-XX:+UseParallelGC", "-XX:+ExitOnOutOfMemoryError",
                "-Djdk.virtualThreadScheduler.parallelism=" + 2 * Runtime.getRuntime().availableProcessors(), "-Djakarta.json.provider=org.eclipse.parsson.JsonProviderImpl", "-jar", System.getProperty("payara.microJar", "target/payara-micro.jar"),
                "--nocluster", "--port", Integer.toString(port), "--prebootcommandfile", "server-config/payara/pre-boot-commands.asadmin",
                "--deploy", "target/llm-gateway.war"));
        if (postgres) {
            command.addAll(List.of("--addLibs", "target/postgresql.jar", "--postbootcommandfile", "server-config/payara/ledger-postgresql.asadmin"));
        }
        return new ProcessBuilder(command);
    }

    /** A server of its own beside the Arquillian one, from the same server-config files the run profile uses. */
    private static ProcessBuilder libertyServer(int port) throws IOException {
        Path wlp = Path.of(System.getProperty("liberty.wlpHome", "target/liberty/wlp"));
        Path server = wlp.resolve("usr/servers/standalone");
        Files.createDirectories(server.resolve("apps"));
        try (var files = Files.list(Path.of("server-config/liberty"))) {
            for (Path file : files.toList()) {
                Files.copy(file, server.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.copy(Path.of("target/llm-gateway.war"), server.resolve("apps/llm-gateway.war"), StandardCopyOption.REPLACE_EXISTING);
        ProcessBuilder builder = new ProcessBuilder(wlp.resolve("bin/server").toString(), "run", "standalone");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("GATEWAY_APP_CONFIG", "gateway-app.xml");
        builder.environment().put("GATEWAY_HTTP_PORT", Integer.toString(port));
        builder.environment().put("JVM_ARGS", "-XX:+ExitOnOutOfMemoryError");
        return builder;
    }

    URL base() {
        try {
            return new URL("http://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends the process at once, as a crash or an OOM kill would: nothing it holds is given back. */
    void kill() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
