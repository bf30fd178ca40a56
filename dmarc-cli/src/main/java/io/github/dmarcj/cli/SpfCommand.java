// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.spf.SpfChecker;
import io.github.dmarcj.spf.SpfEvaluation;
import io.github.dmarcj.spf.SpfRequest;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dmarc spf}: RFC 7208 check_host() for one SMTP transaction. */
@Command(
    name = "spf",
    mixinStandardHelpOptions = true,
    description = {
      "Check SPF (RFC 7208) for the MAIL FROM identity, or the HELO identity with --identity"
          + " helo, and print the outcome and the Received-SPF header field.",
      "Values from the DNS (an exp= explanation, ...) and the envelope are printed with control"
          + " characters escaped (\\r, \\n, \\x1b, \\u202e, ...)."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:pass",
      "1:fail, softfail, neutral or none",
      "2:usage error",
      "3:temperror",
      "4:permerror"
    })
public final class SpfCommand implements Callable<Integer> {

  /** Which identity to check. */
  enum Identity {
    MAILFROM,
    HELO
  }

  @Spec private CommandSpec spec;

  @Mixin private ResolverOptions resolverOptions;

  @Option(
      names = "--client-ip",
      required = true,
      paramLabel = "IP",
      description = "The SMTP client's IPv4 or IPv6 address.")
  private String clientIp;

  @Option(
      names = "--helo",
      required = true,
      paramLabel = "NAME",
      description = "The HELO/EHLO name the client gave.")
  private String helo;

  @Option(
      names = "--mail-from",
      paramLabel = "ADDR",
      defaultValue = "",
      description =
          "The MAIL FROM reverse-path; empty or <> for the null sender"
              + " (checked as postmaster@HELO).")
  private String mailFrom;

  @Option(
      names = "--identity",
      paramLabel = "WHICH",
      defaultValue = "mailfrom",
      description = "Identity to check: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private Identity identity;

  @Option(
      names = "--receiver",
      paramLabel = "NAME",
      description = "This host's name, for the %%{r} macro and the Received-SPF receiver.")
  private @Nullable String receiver;

  @Option(names = "--json", description = "Print the outcome as JSON.")
  private boolean json;

  /** Builds the checker; a separate method so the command needs nothing but a resolver. */
  static SpfChecker checker(DnsResolver resolver, @Nullable String receiver) {
    SpfChecker.Builder b = SpfChecker.builder(resolver);
    if (receiver != null) {
      b.receiver(receiver);
    }
    return b.build();
  }

  @Override
  public Integer call() {
    InetAddress ip = DnsCommand.ipLiteral(clientIp.trim());
    if (ip == null) {
      throw new ParameterException(
          spec.commandLine(),
          "--client-ip must be an IPv4 or IPv6 address, was '" + clientIp + "'");
    }
    SpfRequest request =
        identity == Identity.HELO
            ? SpfRequest.helo(ip, helo)
            : SpfRequest.mailFrom(ip, mailFrom, helo);
    SpfEvaluation e =
        checker(resolverOptions.resolver(), receiver).check(request).toCompletableFuture().join();
    PrintWriter out = spec.commandLine().getOut();
    out.println(json ? toJson(e) : text(e));
    out.flush();
    return exitCode(e.result());
  }

  static int exitCode(SpfResult r) {
    switch (r) {
      case PASS:
        return 0;
      case TEMPERROR:
        return 3;
      case PERMERROR:
        return 4;
      default:
        return 1;
    }
  }

  /** The text output: one line per item, every value escaped with {@link SafeText}. */
  static String text(SpfEvaluation e) {
    StringBuilder sb = new StringBuilder();
    sb.append(SafeText.of(e.authResultsFragment())).append('\n');
    sb.append("identity:     ")
        .append(e.scope().keyword())
        .append(' ')
        .append(SafeText.of(e.identity()))
        .append('\n');
    sb.append("domain:       ").append(SafeText.of(e.domain())).append('\n');
    e.mechanism().ifPresent(m -> sb.append("mechanism:    ").append(SafeText.of(m)).append('\n'));
    e.problem()
        .ifPresent(
            p ->
                sb.append("problem:      ")
                    .append(p.keyword())
                    .append(e.problemDetail().map(d -> " (" + SafeText.of(d) + ")").orElse(""))
                    .append('\n'));
    e.explanation().ifPresent(x -> sb.append("explanation:  ").append(SafeText.of(x)).append('\n'));
    sb.append("dns lookups:  ")
        .append(e.dnsLookups())
        .append(", void lookups: ")
        .append(e.voidLookups())
        .append('\n');
    sb.append(SafeText.of(e.receivedSpfHeader()));
    return sb.toString();
  }

  static String toJson(SpfEvaluation e) {
    ObjectMapper mapper = SafeText.mapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("result", e.result().keyword());
    root.put("scope", e.scope().keyword());
    root.put("identity", e.identity());
    root.put("domain", e.domain());
    root.put("clientIp", e.clientIp().getHostAddress());
    root.put("helo", e.helo());
    root.put("mailFrom", e.mailFrom());
    e.mechanism().ifPresent(m -> root.put("mechanism", m));
    e.problem().ifPresent(p -> root.put("problem", p.keyword()));
    e.problemDetail().ifPresent(d -> root.put("problemDetail", d));
    e.explanation().ifPresent(x -> root.put("explanation", x));
    root.put("dnsLookups", e.dnsLookups());
    root.put("voidLookups", e.voidLookups());
    root.put("receivedSpf", e.receivedSpfHeader());
    root.put("authenticationResults", e.authResultsFragment());
    try {
      return mapper.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }
}
