// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import io.github.dmarcj.dmarc.DmarcMode;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.ZoneFileResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.verify.FailureReportSink;
import io.github.dmarcj.verify.MessageAuthenticator;
import io.github.dmarcj.verify.VerificationRequest;
import io.github.dmarcj.verify.VerificationResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dmarc verify}: SPF, DKIM and DMARC for one stored message, or for many with {@code
 * --batch}.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check SPF, DKIM and DMARC for a message as a receiving mail server would, and print the"
          + " Authentication-Results field and the DMARC disposition.",
      "With --batch, read JSON Lines requests and write one JSON line per request, in order.",
      "Messages are read as a stream: the header is kept, the body is hashed as it is read, so"
          + " a message of any size verifies in constant memory.",
      "Values from the message and the DNS are printed with control characters escaped"
          + " (\\r, \\n, \\x1b, \\u202e, ...)."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:verified (whatever the results), or batch finished",
      "1:the message or requests file could not be read",
      "2:usage error",
      "3:the report database could not be opened or did not store a row (a batch stops there;"
          + " every row of a printed line is stored)"
    })
public final class VerifyCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private ResolverOptions resolverOptions;

  @Option(names = "--client-ip", paramLabel = "IP", description = "The SMTP client's address.")
  private @Nullable String clientIp;

  @Option(names = "--helo", paramLabel = "NAME", description = "The HELO/EHLO name.")
  private String helo = "";

  @Option(
      names = "--mail-from",
      paramLabel = "ADDR",
      description = "The MAIL FROM address; empty or <> for the null sender.")
  private String mailFrom = "";

  @Option(
      names = "--envelope-to",
      paramLabel = "DOMAIN",
      description = "The RCPT TO domain, recorded as envelope_to in the report row.")
  private @Nullable String envelopeTo;

  @Option(
      names = "--now",
      paramLabel = "EPOCH",
      description =
          "Verify as of this time, in seconds since 1970 "
              + Epoch.RANGE
              + ", for DKIM"
              + " t=/x= and the report row.")
  private @Nullable Long now;

  @Option(
      names = "--dmarc-mode",
      paramLabel = "MODE",
      defaultValue = "rfc9989",
      description = "rfc9989 (DNS tree walk, default) or rfc7489 (Public Suffix List).")
  private DmarcMode mode;

  @Option(
      names = "--authserv-id",
      paramLabel = "ID",
      defaultValue = "localhost",
      description = "authserv-id written into Authentication-Results (default: ${DEFAULT-VALUE}).")
  private String authservId;

  @Option(
      names = "--trusted-arc-sealer",
      paramLabel = "DOMAIN",
      description =
          "A sealer whose ARC results are trusted (repeatable; RFC 8617 §7.2): a DMARC fail"
              + " with a passing chain that this sealer saw pass gets disposition none,"
              + " reported as local_policy.")
  private java.util.List<String> trustedArcSealers = new java.util.ArrayList<>();

  @Option(names = "--json", description = "Print the result as one JSON object.")
  private boolean json;

  @Option(
      names = "--batch",
      paramLabel = "REQUESTS.jsonl",
      description = {
        "Verify every request of a JSON Lines file ('-' for standard input): {\"id\": ...,"
            + " \"message\": \"path.eml\", \"zone\": [\"path.zone\"], \"clientIp\": ...,"
            + " \"helo\": ..., \"mailFrom\": ..., \"now\": EPOCH}. Messages up to 1 MiB are read"
            + " whole, larger ones as a stream.",
        "Relative paths are resolved against the requests file's folder. A request without"
            + " \"zone\" uses the DNS options of the command line."
      })
  private @Nullable String batch;

  @Parameters(
      arity = "0..1",
      paramLabel = "MESSAGE.eml",
      description = "The message, as received, read as a stream (any size); - for standard input.")
  private @Nullable String message;

  @Option(
      names = "--report-db",
      paramLabel = "JDBC_URL",
      description = {
        "Store each aggregate-report row in this database (see dmarc report), e.g."
            + " jdbc:h2:file:/var/lib/dmarcj/reports.",
        "A row is committed before its result is printed, so after SIGTERM or SIGINT the"
            + " database holds the row of every printed result."
      })
  private @Nullable String reportDb;

  @Option(
      names = "--failure-reports",
      description = {
        "Also keep a failure report (RFC 9991) in the --report-db database for each message whose"
            + " DMARC record asks for one (ruf, and fo matching what failed); dmarc report send"
            + " mails them. Off by default: failure reports carry other people's mail."
      })
  private boolean failureReports;

  private @Nullable ReportDb reportStore;

  @Override
  public Integer call() throws Exception {
    if (now != null) {
      Epoch.of(spec, "--now", now);
    }
    try {
      // Checked here, before a batch starts, instead of once per request.
      MessageAuthenticator.builder(ZoneFileResolver.builder().build()).authservId(authservId);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (batch != null && (message != null || clientIp != null)) {
      throw usage("--batch takes its messages and envelopes from the requests file");
    }
    if (reportDb == null) {
      if (failureReports) {
        throw usage("--failure-reports needs --report-db (the database that keeps them)");
      }
      return verify();
    }
    ReportDb db;
    try {
      db = ReportDb.open(reportDb, failureReports);
    } catch (ReportDb.Failure e) {
      return reportDbFailure(e);
    }
    reportStore = db;
    try (db) {
      return verify();
    } catch (ReportDb.Failure e) {
      return reportDbFailure(e);
    }
  }

  private int reportDbFailure(ReportDb.Failure e) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("dmarc verify: " + e.getMessage());
    err.flush();
    return 3;
  }

  /** The report database, or null without --report-db. */
  @Nullable ReportDb reportDb() {
    return reportStore;
  }

  private Integer verify() throws ReportDb.Failure {
    if (batch != null) {
      return new BatchVerifier(this)
          .run(batch, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
    if (message == null) {
      throw usage("give the message file (or --batch REQUESTS.jsonl)");
    }
    if (clientIp == null) {
      throw usage("--client-ip is required");
    }
    InetAddress ip = parseIp(clientIp);
    if (ip == null) {
      throw usage("--client-ip must be an IPv4 or IPv6 address, was '" + clientIp + "'");
    }
    MessageAuthenticator authenticator = authenticator(resolverOptions.resolver(), now);
    VerificationRequest request = VerificationRequest.of(SmtpEnvelope.of(ip, helo, mailFrom));
    if (envelopeTo != null && !envelopeTo.isBlank()) {
      String domain =
          io.github.dmarcj.domain.DomainName.parse(envelopeTo.strip())
              .map(io.github.dmarcj.domain.DomainName::name)
              .orElseThrow(
                  () -> usage("--envelope-to must be a domain name, was '" + envelopeTo + "'"));
      request = request.withEnvelopeTo(domain);
    }
    VerificationResult r;
    // The message is read as a stream: header kept, body hashed as it is read.
    try (java.io.InputStream in = MessageInput.open(message)) {
      r = authenticator.verify(request, in);
    } catch (IOException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "dmarc verify: cannot read " + SafeText.of(message) + ": " + MessageInput.problem(e));
      err.flush();
      return 1;
    }
    if (reportStore != null) {
      reportStore.commit(); // the row, before the result is printed
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(VerifyJson.of(null, r));
    } else {
      out.print(SafeText.field(r.authenticationResultsField(), System.lineSeparator()));
      out.println(SafeText.of(summary(r)));
      if (r.arc().result() != io.github.dmarcj.result.ArcResult.NONE) {
        out.println(SafeText.of(ArcCommand.summary(r.arc())));
      }
    }
    out.flush();
    return 0;
  }

  static String summary(VerificationResult r) {
    var d = r.dmarc();
    StringBuilder sb = new StringBuilder("DMARC ").append(d.result().keyword());
    d.fromDomain().ifPresent(f -> sb.append(" for ").append(f.name()));
    d.requestedPolicy()
        .ifPresent(
            p ->
                sb.append(": ")
                    .append(d.policyTag().map(t -> t.keyword()).orElse("p"))
                    .append('=')
                    .append(p.keyword())
                    .append(" published at _dmarc.")
                    .append(d.policyDomain().map(x -> x.name()).orElse("?")));
    sb.append("; disposition ").append(d.disposition().keyword());
    return sb.toString();
  }

  /** An authenticator for the command line's options; with --report-db it feeds the database. */
  MessageAuthenticator authenticator(DnsResolver resolver, @Nullable Long epochSeconds) {
    try {
      MessageAuthenticator.Builder b =
          MessageAuthenticator.builder(resolver).authservId(authservId).dmarcMode(mode);
      if (!trustedArcSealers.isEmpty()) {
        b.trustedArcSealers(trustedArcSealers);
      }
      if (reportStore != null) {
        b.reportRecordSink(reportStore.sink());
        FailureReportSink failures = reportStore.failureSink();
        if (failures != null) {
          b.failureReportSink(failures);
        }
      }
      if (epochSeconds != null) {
        b.clock(Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC));
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  DnsResolver commandLineResolver() {
    return resolverOptions.resolver();
  }

  /** An IP address literal, never a host name lookup; null if {@code s} is not one. */
  static @Nullable InetAddress parseIp(String s) {
    return io.github.dmarcj.dns.IpLiteral.parse(s.strip()).orElse(null);
  }

  private ParameterException usage(@Nullable String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
