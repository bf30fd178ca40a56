// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import io.github.dmarcj.milter.MilterConfig;
import io.github.dmarcj.milter.MilterConfigException;
import io.github.dmarcj.milter.MilterControl;
import io.github.dmarcj.milter.SocketSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dmarc milter status}: the health and counters of a running milter. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Ask a running milter, over its control socket, for its state and its counters since it"
          + " started: connections, messages, DMARC results, actions taken, fallbacks, DNS"
          + " queries and the time spent waiting for them."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:the milter answered and is serving",
      "1:no answer, or the milter is stopping",
      "2:usage error"
    })
public final class MilterStatusCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Read ControlSocket from this configuration file.")
  private @Nullable Path config;

  @Option(
      names = "--control-socket",
      paramLabel = "SOCKET",
      description =
          "The control socket (default: the file's ControlSocket, else inet:8894@127.0.0.1).")
  private @Nullable String controlSocket;

  @Option(names = "--health", description = "Print only ok (or stopping).")
  private boolean health;

  @Override
  public Integer call() {
    SocketSpec socket = socket();
    String answer;
    try {
      answer = MilterControl.query(socket, health ? "health" : "status", Duration.ofSeconds(5));
    } catch (IOException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("dmarc milter status: no answer from " + socket + ": " + MessageInput.problem(e));
      err.flush();
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    answer.lines().forEach(l -> out.println(SafeText.of(l)));
    out.flush();
    String first = answer.lines().findFirst().orElse("");
    return first.equals("ok") || first.equals("state ok") ? 0 : 1;
  }

  private SocketSpec socket() {
    if (controlSocket != null) {
      return SocketSpec.parse(controlSocket)
          .orElseThrow(
              () ->
                  usage(
                      "--control-socket must be inet:PORT@HOST, inet:HOST:PORT or unix:/PATH, was '"
                          + controlSocket
                          + "'"));
    }
    try {
      MilterConfig cfg =
          (config == null ? MilterConfig.builder() : MilterConfig.read(config))
              .authservId("status")
              .build();
      return cfg.controlSocket().orElseThrow(() -> usage("the configuration has no ControlSocket"));
    } catch (MilterConfigException | IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private ParameterException usage(@Nullable String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
