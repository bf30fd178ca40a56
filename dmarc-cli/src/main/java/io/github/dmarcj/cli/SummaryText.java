// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import io.github.dmarcj.report.summary.DomainSummary;
import io.github.dmarcj.report.summary.DomainSummary.ClassTotal;
import io.github.dmarcj.report.summary.DomainSummary.Day;
import io.github.dmarcj.report.summary.DomainSummary.Gap;
import io.github.dmarcj.report.summary.DomainSummary.Impact;
import io.github.dmarcj.report.summary.DomainSummary.Named;
import io.github.dmarcj.report.summary.DomainSummary.Policy;
import io.github.dmarcj.report.summary.DomainSummary.Reporter;
import io.github.dmarcj.report.summary.DomainSummary.Source;
import java.util.List;
import java.util.Locale;

/**
 * The text form of {@code dmarc report summary}: sections a terminal shows as they are, every value
 * from a report through {@link SafeText}.
 */
final class SummaryText {
  private SummaryText() {}

  static String of(DomainSummary s) {
    StringBuilder b = new StringBuilder();
    b.append("DMARC summary for ")
        .append(SafeText.of(s.domain()))
        .append(", ")
        .append(s.since() != null ? s.since() : s.firstDay())
        .append(" to ")
        .append(s.until() != null ? s.until() : s.lastDay())
        .append('\n');
    b.append(num(s.reports()))
        .append(" reports, ")
        .append(num(s.messages()))
        .append(" messages: DMARC pass ")
        .append(num(s.dmarcPass()))
        .append(" (")
        .append(percent(s.dmarcPass(), s.messages()))
        .append("), fail ")
        .append(num(s.dmarcFail()))
        .append('\n');
    b.append("published policy:");
    for (Policy p : s.policies()) {
      b.append(" p=")
          .append(p.p() == null ? "?" : SafeText.of(p.p()))
          .append(p.pct() == null ? "" : " pct=" + p.pct())
          .append("y".equals(p.testing()) ? " t=y" : "")
          .append(" (")
          .append(num(p.reports()))
          .append(" reports, last ")
          .append(p.lastDay())
          .append(')');
    }
    b.append("\n\nMessages per day (DMARC pass, fail; quarantined, rejected by the reporters):\n");
    for (Day d : s.days()) {
      b.append(
          String.format(
              Locale.ROOT,
              "  %s  %,10d pass %,10d fail  %,8d quarantined %,8d rejected%n",
              d.day(),
              d.pass(),
              d.fail(),
              d.dispositions().quarantine(),
              d.dispositions().reject()));
    }
    b.append("\nMail by kind of source:\n");
    for (ClassTotal c : s.classes()) {
      b.append(
          String.format(
              Locale.ROOT,
              "  %-12s %,12d messages %7s  %,d sources%n",
              c.sourceClass().keyword(),
              c.messages(),
              percent(c.messages(), s.messages()),
              c.sources()));
    }
    DomainSummary.WhatIf w = s.whatIf();
    b.append("\nWhat if:\n")
        .append("  p=quarantine: ")
        .append(num(w.failing()))
        .append(" messages would be quarantined (")
        .append(num(w.quarantinedNow()))
        .append(" already were)\n")
        .append("  p=reject:     ")
        .append(num(w.failing()))
        .append(" messages would be rejected (")
        .append(num(w.rejectedNow()))
        .append(" already were)\n");
    for (Impact i : w.impacts()) {
      b.append("  ")
          .append(i.sourceClass().keyword())
          .append(": ")
          .append(SafeText.of(i.advice()))
          .append('\n');
    }
    b.append("\nSources (largest first):\n");
    for (ClassTotal c : s.classes()) {
      long shown = 0;
      for (Source src : s.sources()) {
        if (src.sourceClass() != c.sourceClass()) {
          continue;
        }
        if (shown++ == 0) {
          b.append("  ").append(c.sourceClass().keyword()).append(":\n");
        }
        b.append("    ")
            .append(SafeText.of(src.ip()))
            .append(src.reverseName() == null ? "" : " (" + SafeText.of(src.reverseName()) + ")")
            .append("  ")
            .append(num(src.messages()))
            .append(" messages\n");
        names(b, "reporters", src.reporters());
        names(b, "From", src.headerFrom());
        names(b, "envelope-from", src.envelopeFrom());
        names(b, "SPF", src.spf());
        names(b, "DKIM", src.dkim());
      }
      if (c.sources() > shown && shown > 0) {
        b.append("    ... and ").append(num(c.sources() - shown)).append(" smaller sources\n");
      }
    }
    b.append("\nReporters:\n");
    for (Reporter r : s.reporters()) {
      b.append("  ")
          .append(SafeText.of(r.orgName()))
          .append(" <")
          .append(SafeText.of(r.email()))
          .append(">: ")
          .append(num(r.reports()))
          .append(" reports, ")
          .append(num(r.messages()))
          .append(" messages, ")
          .append(r.firstDay())
          .append(" to ")
          .append(r.lastDay())
          .append(", ");
      if (r.gaps().isEmpty()) {
        b.append("no gaps");
      } else {
        b.append(num(r.missingDays())).append(" days without a report:");
        for (Gap g : r.gaps()) {
          b.append(' ').append(g.from());
          if (g.days() > 1) {
            b.append("..").append(g.to());
          }
        }
      }
      b.append('\n');
    }
    if (s.otherReporters() > 0) {
      b.append("  ... and ").append(num(s.otherReporters())).append(" more reporters\n");
    }
    return b.toString();
  }

  private static void names(StringBuilder b, String label, List<Named> names) {
    if (names.isEmpty()) {
      return;
    }
    b.append("      ").append(label).append(':');
    String sep = " ";
    for (Named n : names) {
      b.append(sep).append(n.name().isEmpty() ? "(none)" : SafeText.of(n.name()));
      if (n.result() != null) {
        b.append(' ').append(SafeText.of(n.result()));
      }
      b.append(" ").append(num(n.messages()));
      sep = ", ";
    }
    b.append('\n');
  }

  private static String num(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String percent(long part, long whole) {
    return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
  }
}
