// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests: Debian's server binaries ({@code postgresql}) run an
 * {@code initdb} cluster in a temporary folder, on a free port of 127.0.0.1, trusting the user
 * {@code dmarcj}; as root the server runs as {@code postgres}. Without the binaries the calling
 * test is skipped, unless the environment variable {@code CI} is {@code true}, where it fails.
 */
public final class PostgresServer implements AutoCloseable {
  private final Path bin;
  private final Path dir;
  private final boolean asPostgresUser;
  private final int port;

  private PostgresServer(Path bin, Path dir, boolean asPostgresUser, int port) {
    this.bin = bin;
    this.dir = dir;
    this.asPostgresUser = asPostgresUser;
    this.port = port;
  }

  /**
   * Starts a server, or skips the test when PostgreSQL is not installed (fails under {@code CI}).
   *
   * @param name a prefix for the temporary folder
   * @return the running server
   * @throws Exception if it cannot be started
   */
  public static PostgresServer start(String name) throws Exception {
    Path bin = findBin();
    if (bin == null) {
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException("PostgreSQL server binaries not found but CI=true");
      }
      assumeTrue(false, "PostgreSQL server binaries not installed");
    }
    boolean asPostgres = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory(name);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    PostgresServer server = new PostgresServer(bin, dir, asPostgres, port);
    if (asPostgres) {
      run(List.of("chown", "postgres", dir.toString()));
    }
    run(server.pg("initdb", "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "dmarcj"));
    run(
        server.pg(
            "pg_ctl",
            "-D",
            dir.resolve("data").toString(),
            "-w",
            "-l",
            dir.resolve("log").toString(),
            "-o",
            "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1",
            "start"));
    return server;
  }

  /**
   * {@return the JDBC URL of a database on this server (user {@code dmarcj}, no password)}
   *
   * @param database the database name; {@code postgres} exists from the start
   */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Stops the server at once and removes its folder. */
  @Override
  public void close() throws IOException {
    try {
      run(pg("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "stop"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping PostgreSQL", e);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Path findBin() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.naturalOrder())
          .orElse(null);
    }
  }

  private List<String> pg(String tool, String... args) {
    List<String> cmd = new ArrayList<>();
    if (asPostgresUser) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.add(bin.resolve(tool).toString());
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static void run(List<String> cmd) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + cmd);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("exit " + p.exitValue() + ": " + cmd);
    }
  }
}
