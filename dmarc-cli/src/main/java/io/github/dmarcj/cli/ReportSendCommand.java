// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import io.github.dmarcj.dkim.DkimSigner;
import io.github.dmarcj.dkim.DkimSigningKey;
import io.github.dmarcj.dmarc.DmarcEvaluator;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.report.JdbcReportStore;
import io.github.dmarcj.report.ReportFormat;
import io.github.dmarcj.report.failure.FailureIncidentStore;
import io.github.dmarcj.report.failure.FailureReportMail;
import io.github.dmarcj.report.failure.Redactor;
import io.github.dmarcj.report.failure.StoredReportComposer;
import io.github.dmarcj.report.mail.AggregateReportSender;
import io.github.dmarcj.report.mail.DeliveryLedger;
import io.github.dmarcj.report.mail.DeliveryOutcome;
import io.github.dmarcj.report.mail.DirectoryTransport;
import io.github.dmarcj.report.mail.FailureReportSender;
import io.github.dmarcj.report.mail.MailSigner;
import io.github.dmarcj.report.mail.MailTransport;
import io.github.dmarcj.report.mail.ReportMail;
import io.github.dmarcj.report.mail.ReportPeriod;
import io.github.dmarcj.report.mail.SmtpTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dmarc report send}: sends (or, with {@code --out}, writes) every aggregate report of a
 * period that is due, through the delivery ledger in the report database.
 *
 * <p>(Over 500 lines on purpose: one picocli command whose options are most of it, each documented
 * where it is declared: relay, signing, periods, failure-report redaction.)
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {
      "Send every aggregate report that is due (RFC 9990 §3.5): for each policy domain with rows"
          + " in the last --lookback, each whole --period (a UTC day by default; in RFC 7489 format"
          + " a shorter ri in the domain's record shortens it) that ended at least --grace ago and"
          + " is not settled yet; or, with --begin and --end, exactly that period. Reports go to"
          + " the rua destinations each policy domain publishes now, after checking their"
          + " authorization (RFC 9990 §4). Each report goes to each"
          + " destination once: the delivery ledger in the same database records what was sent,"
          + " and a later run retries temporary failures (4xx, connection failures) with a growing"
          + " delay, never resends what was sent, and skips destinations that keep failing for a"
          + " while.",
      "It then sends the failure reports (RFC 9991) the database keeps (dmarc verify"
          + " --failure-reports) to the ruf destinations published now, redacted (local parts"
          + " replaced by keyed tokens) and rate-limited (10 an hour per address, 100 a day per"
          + " domain), unless --no-failure-reports.",
      "With --out DIR the mails are written into DIR as .eml files instead (a dry run that still"
          + " records them as sent). One line per report and destination on standard output."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:nothing failed permanently in this run (sent, already sent, or retried later)",
      "1:at least one mail failed permanently (a 5xx reply, or too many attempts)",
      "2:usage error",
      "3:database error"
    })
public final class ReportSendCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private ResolverOptions resolverOptions;

  @Mixin private ReportDbOptions database;

  @Option(
      names = "--org-name",
      required = true,
      paramLabel = "NAME",
      description = "The reporting organization (org_name).")
  private String orgName;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "ADDR",
      description = "The reporting address the mails come from; its domain is the Submitter.")
  private String from;

  @Option(
      names = "--email",
      paramLabel = "ADDR",
      description = "The contact address in the reports (default: --from).")
  private @Nullable String email;

  @Option(names = "--extra-contact-info", paramLabel = "TEXT", description = "extra_contact_info.")
  private @Nullable String extraContactInfo;

  static final class Target {
    @Option(
        names = "--smtp",
        required = true,
        paramLabel = "HOST:PORT",
        description = "The SMTP relay to hand the mails to.")
    @Nullable String smtp;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "DIR",
        description = "Write the mails into DIR as .eml files instead of sending them.")
    @Nullable Path out;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Target target;

  @Option(
      names = "--starttls",
      paramLabel = "MODE",
      description = "required, opportunistic or off (default: ${DEFAULT-VALUE}).",
      defaultValue = "required")
  private SmtpTransport.StartTls startTls;

  @Option(names = "--smtp-user", paramLabel = "USER", description = "Log in to the relay as USER.")
  private @Nullable String smtpUser;

  @Option(
      names = "--smtp-password-file",
      paramLabel = "FILE",
      description =
          "The relay password, first line of FILE (default: the environment variable"
              + " DMARC_SMTP_PASSWORD).")
  private @Nullable Path smtpPasswordFile;

  @Option(
      names = "--dkim-key",
      paramLabel = "PEM",
      description = "DKIM-sign the mails with this private key (PKCS#8 PEM, RSA or Ed25519).")
  private @Nullable Path dkimKey;

  @Option(names = "--dkim-domain", paramLabel = "DOMAIN", description = "The signing domain (d=).")
  private @Nullable String dkimDomain;

  @Option(names = "--dkim-selector", paramLabel = "SELECTOR", description = "The selector (s=).")
  private @Nullable String dkimSelector;

  @Option(
      names = "--begin",
      paramLabel = "EPOCH",
      description = "Start of the period (inclusive), seconds since 1970 " + Epoch.RANGE + ".")
  private @Nullable Long begin;

  @Option(
      names = "--end",
      paramLabel = "EPOCH",
      description = "End of the period (exclusive), seconds since 1970 " + Epoch.RANGE + ".")
  private @Nullable Long end;

  @Option(
      names = "--period",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "The reporting period: 1h, 2h, 3h, 4h, 6h, 8h, 12h or 24h, aligned to UTC midnight"
              + " (default: 24h).")
  private @Nullable Duration period;

  @Option(
      names = "--lookback",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How far back to look for periods not yet settled, e.g. 7d (default: 7d). A period is"
              + " settled once each of its reports was sent, failed for good or cannot be sent.")
  private @Nullable Duration lookback;

  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Wait this long after a period ends before reporting it, so rows other mail servers"
              + " still buffer reach the store (default: 10m).")
  private @Nullable Duration grace;

  @Option(
      names = "--progress-every",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Write a progress line to standard error this often on long runs (default: 10s; 0:"
              + " after every policy domain).")
  private @Nullable Duration progressEvery;

  @Option(
      names = "--no-failure-reports",
      description = "Send aggregate reports only, not the failure reports the database keeps.")
  private boolean noFailureReports;

  @Option(
      names = "--redaction-key-file",
      paramLabel = "FILE",
      description =
          "The secret (at least 16 bytes) that turns local parts into tokens in failure reports"
              + " (default: a key made once and kept in the database).")
  private @Nullable Path redactionKeyFile;

  @Option(
      names = "--unredacted",
      description =
          "Leave the addresses in failure reports as they were (only where the domain owner may"
              + " see them).")
  private boolean unredacted;

  @Option(
      names = "--failure-body",
      description =
          "Include the original body in failure reports when the database kept it (redacted"
              + " unless --unredacted).")
  private boolean failureBody;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "rfc9990 or rfc7489 (default: ${DEFAULT-VALUE}).",
      defaultValue = "rfc9990")
  private String format;

  @Option(
      names = "--now",
      paramLabel = "EPOCH",
      description = "The time to act at (default: the clock), seconds since 1970.")
  private @Nullable Long now;

  @Option(names = "--json", description = "One JSON object per line.")
  private boolean json;

  @Override
  public Integer call() {
    Clock clock =
        now == null ? Clock.systemUTC() : Clock.fixed(Epoch.of(spec, "--now", now), ZoneOffset.UTC);
    ReportPeriod explicit = null;
    if (begin != null && end != null) {
      Instant periodBegin = Epoch.of(spec, "--begin", begin);
      Instant periodEnd = Epoch.of(spec, "--end", end);
      if (!periodEnd.isAfter(periodBegin)) {
        throw usage("--end must be after --begin");
      }
      if (period != null || lookback != null || grace != null) {
        throw usage("--period, --lookback and --grace do not go with --begin and --end");
      }
      explicit = new ReportPeriod(periodBegin, periodEnd);
    } else if (begin != null || end != null) {
      throw usage("give both --begin and --end, or neither (every period that is due)");
    }
    if (lookback != null && lookback.isZero()) {
      throw usage("--lookback must be more than 0");
    }
    if (period != null) {
      try {
        ReportPeriod.containing(Instant.EPOCH, period);
      } catch (IllegalArgumentException e) {
        throw usage("--period: " + e.getMessage());
      }
    }
    ReportFormat fmt =
        switch (format.toLowerCase(Locale.ROOT)) {
          case "rfc9990" -> ReportFormat.RFC9990;
          case "rfc7489" -> ReportFormat.RFC7489;
          default -> throw usage("--format must be rfc9990 or rfc7489, was " + format);
        };
    MailSigner signer = signer(clock);
    ReportMail mail = mail(clock, fmt, signer);
    byte[] keyFromFile = redactionKeyFromFile();
    MailTransport transport = transport();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DnsResolver resolver = resolverOptions.resolver();
    try (JdbcReportStore store = database.open()) {
      DeliveryLedger ledger = new DeliveryLedger(store.dataSource());
      DmarcEvaluator evaluator = DmarcEvaluator.builder(resolver).build();
      AggregateReportSender.Builder b =
          AggregateReportSender.builder(store, ledger, evaluator, mail, transport)
              .orgName(orgName)
              .format(fmt)
              .clock(clock);
      if (email != null) {
        b.email(email);
      }
      if (extraContactInfo != null) {
        b.extraContactInfo(extraContactInfo);
      }
      if (period != null) {
        b.period(period);
      }
      if (grace != null) {
        b.grace(grace);
      }
      ProgressLine progress =
          new ProgressLine(
              err,
              progressEvery == null ? Duration.ofSeconds(10) : progressEvery,
              System::nanoTime);
      int[] counts = new int[DeliveryOutcome.Kind.values().length];
      AggregateReportSender.Listener listener =
          new AggregateReportSender.Listener() {
            @Override
            public void outcome(DeliveryOutcome o) {
              counts[o.kind().ordinal()]++;
              out.println(json ? VerifyJson.deliveryOutcome(o) : line(o));
              out.flush();
            }

            @Override
            public void domainDone(int done, int total) {
              progress.update(() -> progressText(done, total, counts));
            }
          };
      AggregateReportSender sender = b.build();
      List<DeliveryOutcome> outcomes =
          new ArrayList<>(
              explicit != null
                  ? sender.send(explicit, listener)
                  : sender.sendDue(
                      clock.instant(), lookback == null ? Duration.ofDays(7) : lookback, listener));
      if (!noFailureReports) {
        outcomes.addAll(
            sendFailureReports(
                store,
                ledger,
                evaluator,
                resolver,
                transport,
                clock,
                signer,
                keyFromFile,
                listener));
      }
      return outcomes.stream().anyMatch(DeliveryOutcome::failedNow) ? 1 : 0;
    } catch (ReportDb.Failure e) {
      return error(err, String.valueOf(e.getMessage()), 3);
    } catch (SQLException | RuntimeException e) {
      return error(err, "cannot use the report database: " + SafeText.message(e), 3);
    }
  }

  private List<DeliveryOutcome> sendFailureReports(
      JdbcReportStore store,
      DeliveryLedger ledger,
      DmarcEvaluator evaluator,
      DnsResolver resolver,
      MailTransport transport,
      Clock clock,
      @Nullable MailSigner signer,
      byte @Nullable [] keyFromFile,
      AggregateReportSender.Listener listener)
      throws SQLException {
    try (FailureIncidentStore failures = FailureIncidentStore.builder(store.dataSource()).build()) {
      Redactor redactor;
      if (unredacted) {
        redactor = failureBody ? Redactor.unredacted().withBody() : Redactor.unredacted();
      } else {
        Redactor keyed =
            Redactor.hmacSha256(keyFromFile != null ? keyFromFile : failures.redactionKey());
        redactor = failureBody ? keyed.withRedactedBody() : keyed;
      }
      FailureReportMail.Builder fb = FailureReportMail.builder(from, redactor).clock(clock);
      if (signer != null) {
        fb.signer(signer);
      }
      FailureReportSender sender =
          FailureReportSender.builder(
                  failures,
                  ledger,
                  evaluator,
                  new StoredReportComposer(fb.build(), resolver, Duration.ofSeconds(5)),
                  from,
                  transport)
              .clock(clock)
              .build();
      return sender.send(listener::outcome);
    }
  }

  /** The key of --redaction-key-file, or null without it. */
  private byte @Nullable [] redactionKeyFromFile() {
    if (redactionKeyFile == null) {
      return null;
    }
    if (unredacted) {
      throw usage("--redaction-key-file and --unredacted do not go together");
    }
    byte[] key;
    try {
      key = Files.readAllBytes(redactionKeyFile);
    } catch (IOException e) {
      throw usage("cannot read --redaction-key-file: " + MessageInput.problem(e));
    }
    if (key.length < Redactor.MIN_KEY_BYTES) {
      throw usage("--redaction-key-file must hold at least " + Redactor.MIN_KEY_BYTES + " bytes");
    }
    return key;
  }

  private static String progressText(int done, int total, int[] counts) {
    StringBuilder sb =
        new StringBuilder().append(done).append(" of ").append(total).append(" policy domains");
    for (DeliveryOutcome.Kind k : DeliveryOutcome.Kind.values()) {
      if (counts[k.ordinal()] > 0) {
        sb.append(", ").append(counts[k.ordinal()]).append(' ').append(k.keyword());
      }
    }
    return sb.toString();
  }

  private static String line(DeliveryOutcome o) {
    return o.kind().keyword()
        + " "
        + SafeText.of(o.policyDomain())
        + o.reportId().map(r -> " <" + SafeText.of(r) + ">").orElse("")
        + o.destination().map(d -> " -> " + SafeText.of(d)).orElse("")
        + ": "
        + SafeText.of(o.detail());
  }

  private ReportMail mail(Clock clock, ReportFormat fmt, @Nullable MailSigner signer) {
    ReportMail.Builder b;
    try {
      b = ReportMail.builder(from).format(fmt).clock(clock);
    } catch (IllegalArgumentException e) {
      throw usage("--from: " + e.getMessage());
    }
    return signer == null ? b.build() : b.signer(signer).build();
  }

  /** The DKIM signer of the report mails, or null without --dkim-key. */
  private @Nullable MailSigner signer(Clock clock) {
    if (dkimKey == null && dkimDomain == null && dkimSelector == null) {
      return null;
    }
    if (dkimKey == null || dkimDomain == null || dkimSelector == null) {
      throw usage("--dkim-key, --dkim-domain and --dkim-selector go together");
    }
    DkimSigningKey key = DkimSignCommand.readKey(spec, dkimKey);
    try {
      DkimSigner signer = DkimSigner.builder(key, dkimDomain, dkimSelector).clock(clock).build();
      return signer::signatureField;
    } catch (IllegalArgumentException e) {
      throw usage("--dkim-domain or --dkim-selector: " + SafeText.message(e));
    }
  }

  private MailTransport transport() {
    if (target.out != null) {
      return new DirectoryTransport(target.out);
    }
    String smtp = Objects.requireNonNull(target.smtp, "--smtp or --out");
    int colon = smtp.lastIndexOf(':');
    String host = colon > 0 ? smtp.substring(0, colon) : smtp;
    int port;
    try {
      port = colon > 0 ? Integer.parseInt(smtp.substring(colon + 1)) : 25;
    } catch (NumberFormatException e) {
      throw usage("--smtp must be HOST:PORT, was " + smtp);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    SmtpTransport.Builder b;
    try {
      b = SmtpTransport.builder(host, port).startTls(startTls);
    } catch (IllegalArgumentException e) {
      throw usage("--smtp: " + e.getMessage());
    }
    if (smtpUser != null) {
      b.login(smtpUser, password());
    } else if (smtpPasswordFile != null) {
      throw usage("--smtp-password-file needs --smtp-user");
    }
    return b.build();
  }

  private String password() {
    if (smtpPasswordFile != null) {
      try {
        List<String> lines = Files.readAllLines(smtpPasswordFile, StandardCharsets.UTF_8);
        return lines.isEmpty() ? "" : lines.get(0);
      } catch (IOException e) {
        throw usage("cannot read --smtp-password-file: " + MessageInput.problem(e));
      }
    }
    String env = System.getenv("DMARC_SMTP_PASSWORD");
    if (env == null) {
      throw usage("--smtp-user needs --smtp-password-file or DMARC_SMTP_PASSWORD");
    }
    return env;
  }

  private int error(PrintWriter err, String message, int code) {
    err.println("dmarc report send: " + message);
    err.flush();
    return code;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
