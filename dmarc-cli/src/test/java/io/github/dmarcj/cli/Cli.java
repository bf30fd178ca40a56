// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

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

  /** The path of a test resource, e.g. {@code "dns/example.com.zone"}. */
  static String resource(String name) {
    try {
      return Path.of(Cli.class.getResource("/" + name).toURI()).toString();
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test resource " + name, e);
    }
  }
}
