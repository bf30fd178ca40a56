// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dmarcj.dmarc.DiscoveredPolicy;
import io.github.dmarcj.dmarc.DmarcEvaluator;
import io.github.dmarcj.dmarc.DmarcMode;
import io.github.dmarcj.dmarc.DmarcReason;
import io.github.dmarcj.dmarc.DmarcRecord;
import io.github.dmarcj.dmarc.DmarcRecordCheck;
import io.github.dmarcj.dmarc.RecordSource;
import io.github.dmarcj.dmarc.ReportDestination;
import io.github.dmarcj.dmarc.ReportUri;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.domain.PublicSuffixList;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dmarc record DOMAIN}: the domain owner's view of a DMARC policy. Finds the record that
 * receivers apply to mail from the domain (RFC 9989 §4.10 or RFC 7489 §6.6.3), lists problems and
 * risks, and says in plain words what happens to mail that fails DMARC.
 */
@Command(
    name = "record",
    mixinStandardHelpOptions = true,
    description = {
      "Find and check the DMARC record that applies to DOMAIN: where it is, which problems and"
          + " risks it has, and what receivers will do with mail that fails DMARC.",
      "Records and values from the DNS are printed with control characters escaped (\\r, \\n,"
          + " \\x1b, \\u202e, ...); --json carries them exactly, as JSON escapes."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:a usable record, no errors (warnings may be listed)",
      "1:no record applies, or the record has errors",
      "2:usage error",
      "3:a DNS query failed temporarily"
    })
public final class RecordCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private ResolverOptions resolverOptions;

  @Parameters(index = "0", paramLabel = "DOMAIN", description = "The domain used in From.")
  private String domainText;

  @Option(
      names = "--dmarc-mode",
      paramLabel = "MODE",
      description = "rfc9989 (tree walk, the default) or rfc7489 (Public Suffix List).",
      defaultValue = "RFC9989")
  private DmarcMode mode;

  @Option(names = "--json", description = "Print the findings as JSON.")
  private boolean json;

  @Override
  public Integer call() {
    Optional<DomainName> parsed = DomainName.parse(domainText.trim());
    if (parsed.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "not a domain name: " + domainText);
    }
    DomainName domain = parsed.get();
    DnsResolver dns = resolverOptions.resolver();
    DmarcEvaluator.Builder b = DmarcEvaluator.builder(dns).mode(mode);
    if (mode == DmarcMode.RFC7489) {
      b.organizationalDomainFinder(PublicSuffixList.bundled().organizationalDomainFinder());
    }
    DmarcEvaluator evaluator = b.build();
    DmarcRecordCheck check = DmarcRecordCheck.check(evaluator, domain).toCompletableFuture().join();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(toJson(check));
    } else {
      printText(out, check);
    }
    out.flush();
    return exitCode(check);
  }

  // ------------------------------------------------------------------ text

  /** The text output; every line goes through {@link SafeText}, for records hold any text. */
  /** 3 when the DNS failed, 1 when no record applies or a finding is an error, else 0. */
  static int exitCode(DmarcRecordCheck c) {
    if (c.dnsFailed()) {
      return 3;
    }
    return c.hasErrors() ? 1 : 0;
  }

  private static void printText(PrintWriter out, DmarcRecordCheck c) {
    DiscoveredPolicy d = c.discovery();
    line(
        out,
        "DMARC policy for %s (%s, %s discovery)",
        d.authorDomain(),
        modeName(d.mode()),
        d.method().keyword());
    if (d.record().isPresent()) {
      line(out, "  found at _dmarc.%s (%s)", d.policyDomain().get(), sourceText(c));
      line(out, "  %s", d.record().get().text());
    } else {
      line(
          out,
          "  no record applies: %s",
          DmarcRecordCheck.explain(d.problem().orElse(DmarcReason.NO_RECORD)));
    }
    c.organizationalDomain().ifPresent(o -> line(out, "  organizational domain: %s", o));
    out.println();
    out.println("What receivers do with mail that fails DMARC:");
    for (String line : c.explanation()) {
      line(out, "  %s", line);
    }
    out.println();
    if (c.findings().isEmpty()) {
      out.println("No problems found.");
    } else {
      out.println("Problems and risks:");
      for (DmarcRecordCheck.Finding f : c.findings()) {
        line(out, "  %-7s %-22s %s", f.severity().keyword(), f.code(), f.message());
      }
    }
    out.println();
    out.println("DNS queries:");
    for (DiscoveredPolicy.Query q : d.queries()) {
      line(out, "  _dmarc.%s: %s", q.domain(), answerText(q));
    }
  }

  private static void line(PrintWriter out, String format, Object... args) {
    out.println(SafeText.of(String.format(java.util.Locale.ROOT, format, args)));
  }

  private static String modeName(DmarcMode m) {
    return m == DmarcMode.RFC7489 ? "RFC 7489" : "RFC 9989";
  }

  private static String sourceText(DmarcRecordCheck c) {
    RecordSource s = c.discovery().source().get();
    switch (s) {
      case AUTHOR_DOMAIN:
        return "the domain itself";
      case ORGANIZATIONAL_DOMAIN:
        return "its organizational domain";
      default:
        return "a public suffix domain, psd=y";
    }
  }

  private static String answerText(DiscoveredPolicy.Query q) {
    switch (q.answer()) {
      case ONE_RECORD:
        return "one record";
      case MULTIPLE_RECORDS:
        return q.dmarcTexts().size() + " records (none counts)";
      case TEMPFAIL:
        return "temporary failure";
      default:
        return q.discarded().isEmpty()
            ? "no record"
            : "no usable record (" + q.discarded().get(0).detail() + ", discarded)";
    }
  }

  // ------------------------------------------------------------------ JSON

  private static String toJson(DmarcRecordCheck c) {
    ObjectMapper mapper = SafeText.mapper();
    ObjectNode root = mapper.createObjectNode();
    DiscoveredPolicy d = c.discovery();
    root.put("domain", d.authorDomain().name());
    root.put("mode", d.mode().keyword());
    root.put("discoveryMethod", d.method().keyword());
    root.put("found", d.record().isPresent());
    d.problem().ifPresent(p -> root.put("reason", p.name().toLowerCase(java.util.Locale.ROOT)));
    d.policyDomain().ifPresent(p -> root.put("policyDomain", p.name()));
    d.source().ifPresent(s -> root.put("source", s.name().toLowerCase(java.util.Locale.ROOT)));
    c.organizationalDomain().ifPresent(o -> root.put("organizationalDomain", o.name()));
    if (d.record().isPresent()) {
      DmarcRecord r = d.record().get();
      ObjectNode rec = root.putObject("record");
      rec.put("text", r.text());
      r.p().ifPresent(p -> rec.put("p", p.keyword()));
      r.sp().ifPresent(p -> rec.put("sp", p.keyword()));
      r.np().ifPresent(p -> rec.put("np", p.keyword()));
      rec.put("adkim", r.adkim().keyword());
      rec.put("aspf", r.aspf().keyword());
      rec.put("pct", r.pct());
      rec.put("t", r.testing() ? "y" : "n");
      rec.put("psd", r.psd().keyword());
      ArrayNode fo = rec.putArray("fo");
      r.fo().stream().map(x -> x.keyword()).sorted().forEach(fo::add);
      ArrayNode rua = rec.putArray("rua");
      r.rua().forEach(u -> rua.add(u.uri()));
      ArrayNode ruf = rec.putArray("ruf");
      r.ruf().forEach(u -> ruf.add(u.uri()));
    }
    ArrayNode handling = root.putArray("failingMail");
    for (String line : c.explanation()) {
      handling.add(line);
    }
    ArrayNode dest = root.putArray("reportDestinations");
    addDestinations(dest, "rua", c.aggregateDestinations());
    addDestinations(dest, "ruf", c.failureDestinations());
    ArrayNode findings = root.putArray("findings");
    for (DmarcRecordCheck.Finding f : c.findings()) {
      ObjectNode n = findings.addObject();
      n.put("severity", f.severity().keyword());
      n.put("code", f.code());
      n.put("message", f.message());
    }
    ArrayNode queries = root.putArray("queries");
    for (DiscoveredPolicy.Query q : d.queries()) {
      ObjectNode n = queries.addObject();
      n.put("name", "_dmarc." + q.domain().name());
      n.put("answer", q.answer().name().toLowerCase(java.util.Locale.ROOT));
      ArrayNode texts = n.putArray("records");
      q.dmarcTexts().forEach(texts::add);
    }
    root.put("exitCode", exitCode(c));
    try {
      return mapper.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void addDestinations(ArrayNode arr, String tag, List<ReportDestination> list) {
    for (ReportDestination d : list) {
      ObjectNode n = arr.addObject();
      n.put("tag", tag);
      n.put("uri", d.uri().uri());
      n.put("status", d.status().name().toLowerCase(java.util.Locale.ROOT));
      d.sendTo().map(ReportUri::uri).ifPresent(s -> n.put("sendTo", s));
    }
  }
}
