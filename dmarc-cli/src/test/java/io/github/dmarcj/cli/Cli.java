// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs {@link Main#run(String...)} in this JVM and captures what it prints. Calls are serialised
 * because they swap {@link System#out} and {@link System#err}.
 */
final class Cli {
  private Cli() {}

  /** Exit code and the text printed to each stream. */
  record Result(int exitCode, String out, String err) {}

  private static final Object LOCK = new Object();

  static Result run(String... args) {
    synchronized (LOCK) {
      PrintStream oldOut = System.out;
      PrintStream oldErr = System.err;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
          PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
        System.setOut(o);
        System.setErr(e);
        int code = Main.run(args);
        o.flush();
        e.flush();
        return new Result(
            code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
      } finally {
        System.setOut(oldOut);
        System.setErr(oldErr);
      }
    }
  }

  /** Copies of resources that live in a jar (dmarc-core's test-jar), by resource name. */
  private static final Map<String, Path> COPIES = new ConcurrentHashMap<>();

  /**
   * The path of a test resource, e.g. {@code "dns/example.com.zone"}. A resource shared through
   * dmarc-core's test-jar is a jar entry once that module is packaged; it is copied to a temporary
   * file, since the command line reads files.
   */
  static String resource(String name) {
    URL url = Cli.class.getResource("/" + name);
    if (url == null) {
      throw new IllegalStateException("missing test resource " + name);
    }
    try {
      if (url.getProtocol().equals("file")) {
        return Path.of(url.toURI()).toString();
      }
      return COPIES.computeIfAbsent(name, n -> copy(url, n)).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("test resource " + name + ": " + e.getMessage(), e);
    }
  }

  private static Path copy(URL url, String name) {
    try {
      Path dir = Files.createTempDirectory("dmarc-cli-test");
      dir.toFile().deleteOnExit();
      Path file = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
      try (InputStream in = url.openStream()) {
        Files.copy(in, file);
      }
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy test resource " + name, e);
    }
  }
}
