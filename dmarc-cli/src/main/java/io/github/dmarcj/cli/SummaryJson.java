// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dmarcj.report.summary.DomainSummary;
import io.github.dmarcj.report.summary.DomainSummary.ClassTotal;
import io.github.dmarcj.report.summary.DomainSummary.Day;
import io.github.dmarcj.report.summary.DomainSummary.Dispositions;
import io.github.dmarcj.report.summary.DomainSummary.Gap;
import io.github.dmarcj.report.summary.DomainSummary.Impact;
import io.github.dmarcj.report.summary.DomainSummary.Named;
import io.github.dmarcj.report.summary.DomainSummary.Policy;
import io.github.dmarcj.report.summary.DomainSummary.Reporter;
import io.github.dmarcj.report.summary.DomainSummary.Source;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The JSON form of {@code dmarc report summary --format json}. The keys are documented in
 * docs/summary.md and are stable: new keys may be added, none is renamed or removed. Days are ISO
 * dates (UTC); absent values are {@code null}.
 */
final class SummaryJson {
  private static final ObjectMapper MAPPER = SafeText.mapper();

  private SummaryJson() {}

  static String of(DomainSummary s) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("domain", s.domain());
    date(o, "since", s.since());
    date(o, "until", s.until());
    date(o, "firstDay", s.firstDay());
    date(o, "lastDay", s.lastDay());
    o.put("reports", s.reports());
    o.put("messages", s.messages());
    o.put("dmarcPass", s.dmarcPass());
    o.put("dmarcFail", s.dmarcFail());
    ArrayNode policies = o.putArray("policies");
    for (Policy p : s.policies()) {
      ObjectNode n = policies.addObject();
      n.put("p", p.p());
      n.put("pct", p.pct());
      n.put("testing", p.testing());
      n.put("reports", p.reports());
      date(n, "lastDay", p.lastDay());
    }
    ArrayNode days = o.putArray("days");
    for (Day d : s.days()) {
      ObjectNode n = days.addObject();
      date(n, "day", d.day());
      n.put("messages", d.messages());
      n.put("pass", d.pass());
      n.put("fail", d.fail());
      dispositions(n, d.dispositions());
    }
    ArrayNode classes = o.putArray("classes");
    for (ClassTotal c : s.classes()) {
      ObjectNode n = classes.addObject();
      n.put("class", c.sourceClass().keyword());
      n.put("messages", c.messages());
      n.put("sources", c.sources());
      dispositions(n, c.dispositions());
    }
    ObjectNode whatIf = o.putObject("whatIf");
    whatIf.put("failing", s.whatIf().failing());
    whatIf.put("quarantinedNow", s.whatIf().quarantinedNow());
    whatIf.put("rejectedNow", s.whatIf().rejectedNow());
    ArrayNode impacts = whatIf.putArray("byClass");
    for (Impact i : s.whatIf().impacts()) {
      ObjectNode n = impacts.addObject();
      n.put("class", i.sourceClass().keyword());
      n.put("failing", i.failing());
      n.put("sources", i.sources());
      n.put("advice", i.advice());
    }
    ArrayNode sources = o.putArray("sources");
    for (Source src : s.sources()) {
      ObjectNode n = sources.addObject();
      n.put("ip", src.ip());
      n.put("class", src.sourceClass().keyword());
      n.put("messages", src.messages());
      n.put("reverseName", src.reverseName());
      dispositions(n, src.dispositions());
      names(n, "reporters", src.reporters());
      names(n, "headerFrom", src.headerFrom());
      names(n, "envelopeFrom", src.envelopeFrom());
      names(n, "spf", src.spf());
      names(n, "dkim", src.dkim());
    }
    ArrayNode reporters = o.putArray("reporters");
    for (Reporter r : s.reporters()) {
      ObjectNode n = reporters.addObject();
      n.put("orgName", r.orgName());
      n.put("email", r.email());
      n.put("reports", r.reports());
      n.put("messages", r.messages());
      date(n, "firstDay", r.firstDay());
      date(n, "lastDay", r.lastDay());
      n.put("days", r.days());
      n.put("missingDays", r.missingDays());
      ArrayNode gaps = n.putArray("gaps");
      for (Gap g : r.gaps()) {
        ObjectNode gn = gaps.addObject();
        date(gn, "from", g.from());
        date(gn, "to", g.to());
      }
    }
    o.put("otherReporters", s.otherReporters());
    o.put("reverseNames", s.reverseNames());
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void date(ObjectNode o, String key, @Nullable LocalDate day) {
    if (day == null) {
      o.putNull(key);
    } else {
      o.put(key, day.toString());
    }
  }

  private static void dispositions(ObjectNode o, Dispositions d) {
    ObjectNode n = o.putObject("dispositions");
    n.put("none", d.none());
    n.put("pass", d.pass());
    n.put("quarantine", d.quarantine());
    n.put("reject", d.reject());
    n.put("other", d.other());
  }

  private static void names(ObjectNode o, String key, List<Named> names) {
    ArrayNode a = o.putArray(key);
    for (Named nm : names) {
      ObjectNode n = a.addObject();
      n.put("name", nm.name());
      n.put("result", nm.result());
      n.put("messages", nm.messages());
    }
  }
}
