// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@code dmarc} in a JVM of its own, on the test class path, for signals and real stdin. */
final class JavaProcess {
  private JavaProcess() {}

  static ProcessBuilder dmarc(String... args) {
    return dmarc(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"), args);
  }

  /** As {@link #dmarc(String...)}, with these JVM options instead of the default ones. */
  static ProcessBuilder dmarc(List<String> jvmOptions, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  /** Runs to the end with {@code stdin} on standard input; returns exit code, out and err. */
  static Cli.Result run(byte[] stdin, String... args) throws IOException, InterruptedException {
    Process p = dmarc(args).start();
    Thread feeder =
        new Thread(
            () -> {
              try (var in = p.getOutputStream()) {
                in.write(stdin);
              } catch (IOException e) {
                // the process ended before reading everything; its exit code tells
              }
            });
    feeder.start();
    var out = new java.io.ByteArrayOutputStream();
    Thread reader =
        new Thread(
            () -> {
              try {
                p.getInputStream().transferTo(out);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    reader.start();
    String err =
        new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    int code = p.waitFor();
    reader.join();
    feeder.join();
    return new Cli.Result(code, out.toString(java.nio.charset.StandardCharsets.UTF_8), err);
  }
}
