// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import io.github.dmarcj.dns.CachingDnsResolver;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.NetworkDnsResolver;
import io.github.dmarcj.milter.MilterConfig;
import io.github.dmarcj.milter.MilterConfigException;
import io.github.dmarcj.milter.MilterServer;
import io.github.dmarcj.milter.SocketSpec;
import io.github.dmarcj.verify.FailureReportSink;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dmarc milter}: the milter daemon for Postfix and Sendmail, configured by a file and flags;
 * {@code dmarc milter status} asks a running one for its health and counters.
 */
@Command(
    name = "milter",
    mixinStandardHelpOptions = true,
    description = {
      "Run the milter (mail filter protocol 6) for Postfix or Sendmail: SPF, DKIM and DMARC for"
          + " every message, Authentication-Results added (forged ones claiming our authserv-id"
          + " removed), the DMARC disposition applied. Runs in the foreground until SIGTERM or"
          + " SIGINT, then finishes the messages in flight.",
      "Settings come from --config FILE (see docs/milter.md); flags override the file."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "143:stopped by SIGTERM (130: SIGINT) after finishing the messages in flight",
      "1:a socket could not be bound",
      "2:usage error, or a wrong configuration file",
      "3:the report database could not be opened"
    },
    subcommands = {CommandLine.HelpCommand.class, MilterStatusCommand.class})
public final class MilterCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private ResolverOptions resolverOptions;

  @Option(names = "--config", paramLabel = "FILE", description = "The configuration file.")
  private @Nullable Path config;

  @Option(
      names = "--socket",
      paramLabel = "SOCKET",
      description = "Where the MTA connects: inet:PORT@HOST, inet:HOST:PORT or unix:/PATH.")
  private @Nullable String socket;

  @Option(
      names = "--control-socket",
      paramLabel = "SOCKET",
      description = "Where 'dmarc milter status' connects, or none.")
  private @Nullable String controlSocket;

  @Option(
      names = "--authserv-id",
      paramLabel = "ID",
      description = "authserv-id written into Authentication-Results.")
  private @Nullable String authservId;

  @Option(
      names = "--report-db",
      paramLabel = "JDBC_URL",
      description = "Store each aggregate-report row in this database (as dmarc verify does).")
  private @Nullable String reportDb;

  @Option(
      names = "--failure-reports",
      description = "Also keep failure reports in the --report-db database.")
  private boolean failureReports;

  @Option(
      names = "--now",
      paramLabel = "EPOCH",
      description = "Check as of this time, in seconds since 1970 " + Epoch.RANGE + " (for tests).")
  private @Nullable Long now;

  @Override
  public Integer call() {
    MilterConfig cfg = configuration();
    DnsResolver dns = resolver(cfg);
    ReportDb db = null;
    if (cfg.reportDatabase().isPresent()) {
      try {
        db = ReportDb.open(cfg.reportDatabase().get(), cfg.failureReports());
      } catch (ReportDb.Failure e) {
        return fail(e.getMessage(), 3);
      }
    }
    MilterServer.Builder b = MilterServer.builder(cfg, dns);
    if (db != null) {
      b.reportRecordSink(db.sink());
      FailureReportSink fs = db.failureSink();
      if (fs != null) {
        b.failureReportSink(fs);
      }
    }
    if (now != null) {
      b.clock(Clock.fixed(Epoch.of(spec, "--now", now), ZoneOffset.UTC));
    }
    MilterServer server = b.build();
    try {
      server.start();
    } catch (IOException e) {
      if (db != null) {
        db.close();
      }
      return fail("cannot listen on " + cfg.socket() + ": " + e.getMessage(), 1);
    }
    ReportDb store = db;
    Thread hook =
        new Thread(
            () -> {
              // Printed directly: the JDK's logging is being reset while shutdown hooks run.
              boolean clean = server.stop();
              System.err.println(
                  "dmarc milter: stopped"
                      + (clean
                          ? ""
                          : " (connections still busy after ShutdownTimeout were closed)"));
              if (store != null) {
                try {
                  store.commit();
                } catch (ReportDb.Failure e) {
                  System.err.println("dmarc milter: " + e.getMessage());
                }
                store.close();
              }
            },
            "dmarc-milter-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      server.awaitStopped();
      hook.join(); // the hook also closes the report database
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private MilterConfig configuration() {
    MilterConfig.Builder b;
    try {
      b = config == null ? MilterConfig.builder() : MilterConfig.read(config);
    } catch (MilterConfigException e) {
      throw usage(e.getMessage());
    }
    try {
      if (socket != null) {
        b.socket(socketSpec("--socket", socket));
      }
      if (controlSocket != null) {
        b.controlSocket(
            controlSocket.equalsIgnoreCase("none")
                ? null
                : socketSpec("--control-socket", controlSocket));
      }
      if (authservId != null) {
        b.authservId(authservId);
      }
      if (reportDb != null) {
        b.reportDatabase(reportDb);
      }
      if (failureReports) {
        b.failureReports(true);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private SocketSpec socketSpec(String option, String text) {
    return SocketSpec.parse(text)
        .orElseThrow(
            () ->
                usage(
                    option
                        + " must be inet:PORT@HOST, inet:HOST:PORT or unix:/PATH, was '"
                        + text
                        + "'"));
  }

  /** The DNS flags if any was given, else the file's Nameservers and DNSTimeout. */
  private DnsResolver resolver(MilterConfig cfg) {
    if (resolverOptions.given()) {
      return resolverOptions.resolver();
    }
    NetworkDnsResolver.Builder b = NetworkDnsResolver.builder().timeout(cfg.dnsTimeout());
    for (String s : cfg.nameservers()) {
      ResolverOptions.HostPort hp = ResolverOptions.HostPort.parse(s);
      if (hp == null) {
        throw usage("Nameservers: '" + s + "' is not HOST or HOST:PORT");
      }
      b.addServer(hp.host(), hp.port());
    }
    return CachingDnsResolver.of(b.build());
  }

  private int fail(@Nullable String message, int code) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("dmarc milter: " + SafeText.of(String.valueOf(message)));
    err.flush();
    return code;
  }

  private ParameterException usage(@Nullable String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
