// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dmarc} command: one subcommand per protocol. */
@Command(
    name = "dmarc",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "SPF, DKIM and DMARC checks from the command line.",
    subcommands = {
      // one subcommand per line
      CommandLine.HelpCommand.class,
      VerifyCommand.class,
      DnsCommand.class,
      RecordCommand.class,
      SpfCommand.class,
      DkimCommand.class,
      DkimSignCommand.class,
      ReportCommand.class,
    })
public final class Main {

  /** Runs the command line and returns its exit code. */
  public static int run(String... args) {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"dmarc " + (v == null ? "development build" : v)};
    }
  }
}
