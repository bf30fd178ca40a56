// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

final class HelpTest {

  /** Every command and subcommand, as the words that name it ({@code [report, aggregate]}). */
  static Stream<List<String>> commands() {
    List<List<String>> out = new ArrayList<>();
    collect(Main.commandLine(null), new ArrayList<>(), out);
    return out.stream();
  }

  private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
    out.add(List.copyOf(path));
    for (var e : cl.getSubcommands().entrySet()) {
      if (e.getValue().getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
        continue;
      }
      List<String> sub = new ArrayList<>(path);
      sub.add(e.getKey());
      collect(e.getValue(), sub, out);
    }
  }

  @ParameterizedTest(name = "dmarc {0} --help")
  @MethodSource("commands")
  @DisplayName("--help of every command renders without picocli warnings")
  void help_everyCommand_rendersWithoutWarnings(List<String> command) {
    List<String> args = new ArrayList<>(command);
    args.add("--help");
    Cli.Result r = Cli.run(args.toArray(String[]::new));
    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).as("warnings for dmarc %s --help", command).isEmpty();
    assertThat(r.out()).startsWith("Usage: dmarc").doesNotContain("WARN");
  }

  @Test
  @DisplayName("the command tree holds every subcommand, so the help test covers them all")
  void commands_tree_listsEverySubcommand() {
    assertThat(commands().map(c -> String.join(" ", c)))
        .contains(
            "",
            "verify",
            "dns",
            "record",
            "spf",
            "dkim",
            "dkim-sign",
            "report",
            "report aggregate");
  }

  @Test
  @DisplayName("spf --help shows the %{r} macro literally")
  void help_spf_showsMacroLiterally() {
    Cli.Result r = Cli.run("spf", "--help");
    assertThat(r.out()).contains("%{r} macro");
  }

  @Test
  @DisplayName("verify --help says messages are streamed, of any size")
  void help_verify_statesStreaming() {
    Cli.Result r = Cli.run("verify", "--help");
    String flat = r.out().replaceAll("\\s+", " ");
    assertThat(flat)
        .contains("The message, as received, read as a stream (any size)")
        .contains("Messages up to 1 MiB are read whole, larger ones as a stream.")
        .doesNotContain("64 MiB");
  }

  @Test
  @DisplayName("dkim-sign --help states the largest message it reads")
  void help_dkimSign_statesMessageCap() {
    assertThat(Cli.run("dkim-sign", "--help").out().replaceAll("\\s+", " "))
        .contains("at most 64 MiB");
  }

  @Test
  @DisplayName("a run that names its subcommand builds only that one; any other builds them all")
  void commandLine_namedSubcommand_buildsOnlyThatOne() {
    assertThat(Main.commandLine("verify").getSubcommands()).containsOnlyKeys("help", "verify");
    assertThat(Main.commandLine("report").getSubcommands().get("report").getSubcommands())
        .containsKey("aggregate");
    assertThat(Main.commandLine("--help").getSubcommands())
        .containsKeys(
            "help",
            "verify",
            "dns",
            "record",
            "spf",
            "dkim",
            "dkim-sign",
            "arc",
            "report",
            "milter");
    assertThat(Main.commandLine("verfy").getSubcommands()).hasSize(10);
  }

  @Test
  @DisplayName("a mistyped subcommand is still a usage error with a suggestion")
  void run_mistypedSubcommand_suggests() {
    Cli.Result r = Cli.run("verfy", "x.eml");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("verify");
  }

  @Test
  @DisplayName("the usage of a subcommand built alone still names it under dmarc")
  void help_subcommandBuiltAlone_keepsQualifiedName() {
    assertThat(Cli.run("dns", "--help").out()).startsWith("Usage: dmarc dns");
  }
}
