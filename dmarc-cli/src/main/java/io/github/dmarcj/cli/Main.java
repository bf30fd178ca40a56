// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/** The {@code dmarc} command: one subcommand per protocol. */
@Command(
    name = "dmarc",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "SPF, DKIM and DMARC checks from the command line.",
    exitCodeListHeading = "Exit codes (each command lists its own):%n",
    exitCodeList = {
      "2:usage error: one line on standard error says what is wrong",
      "70:internal error (a defect: please report it with the command line)"
    },
    // The subcommands are added in SUBCOMMANDS, so a run builds only the one it calls.
    subcommands = {CommandLine.HelpCommand.class})
public final class Main {
  /** Exit code of an exception no command expected (sysexits EX_SOFTWARE). */
  static final int INTERNAL_ERROR = 70;

  /**
   * Runs the command line and returns its exit code.
   *
   * @param args the command line arguments
   * @return the exit code
   */
  public static int run(String... args) {
    return commandLine(args.length > 0 ? args[0] : null)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setParameterExceptionHandler(Main::usageError)
        .setExecutionExceptionHandler(Main::internalError)
        .execute(args);
  }

  /** The subcommands by name, in the order the usage text lists them. */
  private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

  private static Map<String, Supplier<Object>> subcommands() {
    Map<String, Supplier<Object>> m = new LinkedHashMap<>();
    m.put("verify", VerifyCommand::new);
    m.put("dns", DnsCommand::new);
    m.put("record", RecordCommand::new);
    m.put("spf", SpfCommand::new);
    m.put("dkim", DkimCommand::new);
    m.put("dkim-sign", DkimSignCommand::new);
    m.put("arc", ArcCommand::new);
    m.put("report", ReportCommand::new);
    m.put("milter", MilterCommand::new);
    return Collections.unmodifiableMap(m);
  }

  /**
   * The {@code dmarc} command with its subcommands. Picocli reads every option of every command it
   * is given by reflection, which is a good part of a short run's start-up: when the first argument
   * names a subcommand, only that one is built (its usage text and errors are the same, as it still
   * has {@code dmarc} as its parent); otherwise (no argument, an option, {@code help} or a mistyped
   * name, where the usage text and suggestions need them all) every one is.
   *
   * @param first the first command line argument, or null
   * @return the command line to execute
   */
  static CommandLine commandLine(@Nullable String first) {
    CommandLine cl = new CommandLine(new Main());
    Supplier<Object> only = first == null ? null : SUBCOMMANDS.get(first);
    if (only != null) {
      cl.addSubcommand(first, only.get());
    } else {
      SUBCOMMANDS.forEach((name, command) -> cl.addSubcommand(name, command.get()));
    }
    return cl;
  }

  /**
   * Runs the command line and exits with its exit code.
   *
   * @param args the command line arguments
   */
  public static void main(String[] args) {
    oneLineLogging();
    System.exit(run(args));
  }

  /**
   * A usage error: one line naming the command and the problem (with picocli's suggestions for a
   * mistyped option), no usage text, exit code 2.
   */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println(cl.getCommandSpec().qualifiedName() + ": " + SafeText.of(e.getMessage()));
    UnmatchedArgumentException.printSuggestions(e, err);
    err.flush();
    return cl.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** An exception no command handles: one line, no stack trace. */
  private static int internalError(Exception e, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    err.println(
        cl.getCommandSpec().qualifiedName()
            + ": internal error: "
            + e.getClass().getName()
            + (e.getMessage() == null ? "" : ": " + SafeText.message(e)));
    err.flush();
    return INTERNAL_ERROR;
  }

  /**
   * Library log records (the report store's retries, a verifier that failed) as one escaped line
   * each on standard error, without stack traces.
   */
  static void oneLineLogging() {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler h = new ConsoleHandler();
    h.setFormatter(new OneLine());
    root.addHandler(h);
  }

  /** {@code dmarc: warning: message: ExceptionClass: its message}. */
  static final class OneLine extends Formatter {
    @Override
    public String format(LogRecord r) {
      StringBuilder b =
          new StringBuilder("dmarc: ")
              .append(r.getLevel().getName().toLowerCase(Locale.ROOT))
              .append(": ")
              .append(SafeText.of(formatMessage(r)));
      if (r.getThrown() != null) {
        b.append(": ")
            .append(r.getThrown().getClass().getSimpleName())
            .append(": ")
            .append(SafeText.message(r.getThrown()));
      }
      return b.append(System.lineSeparator()).toString();
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"dmarc " + (v == null ? "development build" : v)};
    }
  }
}
