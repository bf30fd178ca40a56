// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs NSD, an authoritative DNS server, on 127.0.0.1 and a free port for the tests, serving the
 * given zones from a temporary directory (no chroot, no privilege drop). Skips the test when NSD is
 * not installed, unless the environment variable CI is {@code true}. Public so that the other
 * modules' tests (in the test-jar) can run their own zones.
 */
public final class NsdServer implements AutoCloseable {

  static final Path NSD = Path.of("/usr/sbin/nsd");

  private final Process process;
  private final int port;
  private final Path dir;

  private NsdServer(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  public int port() {
    return port;
  }

  /** Checks that NSD is there: a JUnit assumption outside CI, a failure on CI. */
  public static void assumeInstalled() {
    boolean present = Files.isExecutable(NSD);
    if (!present && "true".equals(System.getenv("CI"))) {
      fail("nsd is required on CI but " + NSD + " is missing (apt-get install nsd)");
    }
    Assumptions.assumeTrue(present, "nsd not installed; skipping tests against a real DNS server");
  }

  /** Starts NSD serving {@code zones} (apex to master-file text) and waits until it answers. */
  public static NsdServer start(Path dir, Map<String, String> zones, String probeName)
      throws Exception {
    assumeInstalled();
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      StringBuilder conf = new StringBuilder();
      conf.append("server:\n")
          .append("  ip-address: 127.0.0.1@")
          .append(port)
          .append('\n')
          .append("  do-ip6: no\n")
          .append("  username: \"\"\n")
          .append("  chroot: \"\"\n")
          .append("  zonesdir: \"")
          .append(dir)
          .append("\"\n")
          .append("  pidfile: \"")
          .append(dir.resolve("nsd.pid"))
          .append("\"\n")
          .append("  database: \"\"\n")
          .append("  xfrdfile: \"")
          .append(dir.resolve("xfrd.state"))
          .append("\"\n")
          .append("  xfrdir: \"")
          .append(dir)
          .append("\"\n")
          .append("  zonelistfile: \"")
          .append(dir.resolve("zone.list"))
          .append("\"\n")
          .append("  logfile: \"")
          .append(dir.resolve("nsd.log"))
          .append("\"\n")
          .append("  server-count: 1\n")
          .append("  verbosity: 1\n")
          .append("remote-control:\n")
          .append("  control-enable: no\n");
      for (Map.Entry<String, String> z : zones.entrySet()) {
        String file = z.getKey() + ".zone";
        Files.writeString(dir.resolve(file), z.getValue(), StandardCharsets.UTF_8);
        conf.append("zone:\n  name: ")
            .append(z.getKey())
            .append("\n  zonefile: ")
            .append(file)
            .append('\n');
      }
      Path confFile = dir.resolve("nsd.conf");
      Files.writeString(confFile, conf.toString(), StandardCharsets.UTF_8);
      Process p =
          new ProcessBuilder(NSD.toString(), "-d", "-c", confFile.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("nsd.out").toFile())
              .start();
      NsdServer server = new NsdServer(p, port, dir);
      if (server.awaitAnswer(probeName, Duration.ofSeconds(15))) {
        return server;
      }
      server.close();
      last = new IOException("nsd did not answer on port " + port + ": " + server.log());
    }
    throw last;
  }

  private boolean awaitAnswer(String probeName, Duration max) throws InterruptedException {
    NetworkDnsResolver probe =
        NetworkDnsResolver.builder()
            .addServer("127.0.0.1", port)
            .timeout(Duration.ofMillis(200))
            .retries(0)
            .build();
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return false;
      }
      DnsLookup<String> r = probe.txt(probeName).toCompletableFuture().join();
      if (!(r instanceof DnsLookup.TempFail)) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  public String log() {
    StringBuilder sb = new StringBuilder();
    for (String f : new String[] {"nsd.out", "nsd.log"}) {
      try {
        sb.append(Files.readString(dir.resolve(f), StandardCharsets.UTF_8));
      } catch (IOException e) {
        sb.append("(no ").append(f).append(")");
      }
    }
    return sb.toString();
  }

  private java.util.Optional<Long> mainPid() {
    try {
      long pid = Long.parseLong(Files.readString(dir.resolve("nsd.pid")).trim());
      // only a process this test started
      boolean ours = pid == process.pid() || process.descendants().anyMatch(h -> h.pid() == pid);
      return ours ? java.util.Optional.of(pid) : java.util.Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  @SuppressWarnings("try") // the TCP socket is opened only to see that the port is free
  private static int freePort() throws IOException {
    for (int i = 0; i < 20; i++) {
      try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        int port = udp.getLocalPort();
        try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
          return port;
        } catch (IOException busy) {
          // TCP port taken: try another
        }
      }
    }
    throw new IOException("no free port for nsd");
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void stop() throws InterruptedException {
    // NSD's main process (the pid file's) stops its server children and the transfer process.
    mainPid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (process.descendants().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
