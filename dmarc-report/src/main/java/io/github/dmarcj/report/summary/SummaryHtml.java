// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.summary;

import io.github.dmarcj.report.summary.DomainSummary.ClassTotal;
import io.github.dmarcj.report.summary.DomainSummary.Day;
import io.github.dmarcj.report.summary.DomainSummary.Dispositions;
import io.github.dmarcj.report.summary.DomainSummary.Gap;
import io.github.dmarcj.report.summary.DomainSummary.Impact;
import io.github.dmarcj.report.summary.DomainSummary.Named;
import io.github.dmarcj.report.summary.DomainSummary.Policy;
import io.github.dmarcj.report.summary.DomainSummary.Reporter;
import io.github.dmarcj.report.summary.DomainSummary.Source;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Renders a {@link DomainSummary} as one self-contained HTML page: inline CSS, charts as inline
 * SVG, no script, no font, image or style sheet from elsewhere, laid out for narrow screens as well
 * as wide ones. Every string that came from a report is escaped: {@code & < > " '} as character
 * references, and control, line-separator and bidirectional characters as visible text (a
 * backslash, {@code u} and four hex digits), so a hostile org name or domain can neither add markup
 * nor reorder the page.
 *
 * @since 0.1.0
 */
public final class SummaryHtml {
  /** The colour of each {@link SourceClass}, in enum order. */
  private static final String[] COLOURS = {"#2e7d32", "#1565c0", "#ef6c00", "#c62828"};

  private static final String PASS = "#2e7d32";
  private static final String FAIL = "#c62828";

  private static final String CSS =
      "*{box-sizing:border-box}"
          + "body{margin:0;padding:1rem;font-family:system-ui,-apple-system,'Segoe UI',Roboto,"
          + "sans-serif;color:#1a1a1a;background:#fafafa;line-height:1.45}"
          + "main{max-width:64rem;margin:0 auto}"
          + "h1{font-size:1.5rem;margin:.2rem 0 .6rem;overflow-wrap:anywhere}"
          + "h2{font-size:1.15rem;margin:1.6rem 0 .5rem;border-bottom:1px solid #ccc}"
          + "h3{font-size:1rem;margin:1rem 0 .3rem}"
          + "section{background:#fff;border:1px solid #e0e0e0;border-radius:6px;padding:.2rem 1rem"
          + " 1rem;margin:1rem 0}"
          + ".facts{display:flex;flex-wrap:wrap;gap:.5rem}"
          + ".fact{flex:1 1 9rem;background:#f1f4f8;border-radius:6px;padding:.5rem .7rem}"
          + ".fact b{display:block;font-size:1.3rem}"
          + "svg{width:100%;height:auto;display:block}"
          + ".scroll{overflow-x:auto}"
          + "table{border-collapse:collapse;width:100%;font-size:.9rem}"
          + "th,td{text-align:left;padding:.3rem .4rem;border-bottom:1px solid #eee;"
          + "vertical-align:top;overflow-wrap:break-word;word-break:break-word}"
          + "td.ip{white-space:nowrap}"
          + "td.n,th.n{text-align:right;white-space:nowrap}"
          + ".key{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;"
          + "margin-right:.3rem;vertical-align:middle}"
          + ".muted{color:#666}"
          + "ul.advice{padding-left:1.1rem}ul.advice li{margin:.4rem 0}"
          + "@media (max-width:40rem){body{padding:.4rem}section{padding:.1rem .5rem .6rem}"
          + "table{font-size:.8rem}.fact b{font-size:1.1rem}}";

  private SummaryHtml() {}

  /**
   * {@return the page}
   *
   * @param summary the summary
   */
  public static String render(DomainSummary summary) {
    Objects.requireNonNull(summary, "summary");
    StringBuilder h = new StringBuilder(16_384);
    String domain = esc(summary.domain());
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>DMARC summary: ")
        .append(domain)
        .append("</title>\n<style>")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n<main>\n<h1>DMARC summary for ")
        .append(domain)
        .append("</h1>\n");
    facts(h, summary);
    if (summary.isEmpty()) {
      h.append("<section><p>No report about this domain")
          .append(summary.since() != null || summary.until() != null ? " in these days" : "")
          .append(".</p></section>\n");
    } else {
      volume(h, summary);
      classes(h, summary);
      whatIf(h, summary);
      sources(h, summary);
      reporters(h, summary);
    }
    h.append("<p class=\"muted\">Made by dmarcj from the aggregate reports in its database. Days")
        .append(" are UTC; a report counts on the day of the middle of its period.</p>\n")
        .append("</main>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void facts(StringBuilder h, DomainSummary s) {
    LocalDate first = s.since() != null ? s.since() : s.firstDay();
    LocalDate last = s.until() != null ? s.until() : s.lastDay();
    h.append("<div class=\"facts\">");
    fact(h, "days", (first == null ? "-" : first) + " to " + (last == null ? "-" : last));
    fact(h, "reports", num(s.reports()));
    fact(h, "messages", num(s.messages()));
    fact(h, "DMARC pass", percent(s.dmarcPass(), s.messages()));
    StringBuilder p = new StringBuilder();
    for (Policy policy : s.policies()) {
      if (p.length() > 0) {
        p.append(", ");
      }
      p.append("p=").append(policy.p() == null ? "?" : policy.p());
      if (policy.pct() != null) {
        p.append(" pct=").append(policy.pct());
      }
      if ("y".equals(policy.testing())) {
        p.append(" t=y");
      }
      p.append(" (").append(num(policy.reports())).append(')');
    }
    fact(h, "published policy", p.length() == 0 ? "-" : p.toString());
    h.append("</div>\n");
  }

  private static void fact(StringBuilder h, String label, String value) {
    h.append("<div class=\"fact\"><span class=\"muted\">")
        .append(esc(label))
        .append("</span><b>")
        .append(esc(value))
        .append("</b></div>");
  }

  /** Stacked bars per day: DMARC pass below, fail above. */
  private static void volume(StringBuilder h, DomainSummary s) {
    List<Day> days = s.days();
    long first = days.get(0).day().toEpochDay();
    long span = days.get(days.size() - 1).day().toEpochDay() - first + 1;
    long max = 1;
    for (Day d : days) {
      max = Math.max(max, d.messages());
    }
    int w = 800;
    int ht = 220;
    int left = 50;
    int bottom = 24;
    double plotW = w - left - 10.0;
    double plotH = ht - bottom - 10.0;
    double slot = plotW / span;
    double bar = Math.max(0.8, slot * 0.8);
    h.append("<section id=\"volume\"><h2>Messages per day</h2>\n<svg viewBox=\"0 0 ")
        .append(w)
        .append(' ')
        .append(ht)
        .append("\" role=\"img\" aria-label=\"Messages per day, DMARC pass and fail\">")
        .append("<title>Messages per day</title>");
    h.append("<line x1=\"")
        .append(left)
        .append("\" y1=\"")
        .append(fmt(10 + plotH))
        .append("\" x2=\"")
        .append(w - 10)
        .append("\" y2=\"")
        .append(fmt(10 + plotH))
        .append("\" stroke=\"#999\"/>");
    label(h, left - 4, 18, "end", num(max));
    label(h, left - 4, 10 + plotH, "end", "0");
    label(h, left, ht - 6, "start", days.get(0).day().toString());
    label(h, w - 10, ht - 6, "end", days.get(days.size() - 1).day().toString());
    for (Day d : days) {
      double x = left + (d.day().toEpochDay() - first) * slot + (slot - bar) / 2;
      double passH = plotH * d.pass() / max;
      double failH = plotH * d.fail() / max;
      double base = 10 + plotH;
      String tip = d.day() + ": " + num(d.pass()) + " pass, " + num(d.fail()) + " fail";
      rect(h, x, base - passH, bar, passH, PASS, tip);
      rect(h, x, base - passH - failH, bar, failH, FAIL, tip);
    }
    h.append("</svg>\n<p>")
        .append(key(PASS))
        .append("DMARC pass ")
        .append(key(FAIL))
        .append("DMARC fail</p>\n");
    Dispositions all = Dispositions.ZERO;
    for (Day d : days) {
      all = all.plus(d.dispositions());
    }
    h.append("<p>Dispositions applied by the reporters: none ")
        .append(num(all.none()))
        .append(", pass ")
        .append(num(all.pass()))
        .append(", quarantine ")
        .append(num(all.quarantine()))
        .append(", reject ")
        .append(num(all.reject()))
        .append(all.other() > 0 ? ", not stated " + num(all.other()) : "")
        .append(".</p></section>\n");
  }

  /** One horizontal bar split by class, and the table. */
  private static void classes(StringBuilder h, DomainSummary s) {
    h.append("<section id=\"classes\"><h2>Mail by kind of source</h2>\n")
        .append("<svg viewBox=\"0 0 800 40\" role=\"img\" aria-label=\"Messages by class\">")
        .append("<title>Messages by class</title>");
    double x = 0;
    long total = Math.max(1, s.messages());
    for (ClassTotal c : s.classes()) {
      double width = 800.0 * c.messages() / total;
      rect(
          h,
          x,
          4,
          width,
          32,
          COLOURS[c.sourceClass().ordinal()],
          c.sourceClass().keyword() + ": " + num(c.messages()));
      x += width;
    }
    h.append("</svg>\n<div class=\"scroll\"><table><tr><th>kind</th><th class=\"n\">messages</th>")
        .append("<th class=\"n\">share</th><th class=\"n\">sources</th></tr>");
    for (ClassTotal c : s.classes()) {
      h.append("<tr><td>")
          .append(key(COLOURS[c.sourceClass().ordinal()]))
          .append(c.sourceClass().keyword())
          .append("</td><td class=\"n\">")
          .append(num(c.messages()))
          .append("</td><td class=\"n\">")
          .append(percent(c.messages(), s.messages()))
          .append("</td><td class=\"n\">")
          .append(num(c.sources()))
          .append("</td></tr>");
    }
    h.append("</table></div></section>\n");
  }

  private static void whatIf(StringBuilder h, DomainSummary s) {
    DomainSummary.WhatIf w = s.whatIf();
    h.append("<section id=\"what-if\"><h2>What if the policy were stricter</h2>\n<p>With ")
        .append("<b>p=quarantine</b>, ")
        .append(num(w.failing()))
        .append(" of these messages would be quarantined (")
        .append(num(w.quarantinedNow()))
        .append(" already were); with <b>p=reject</b>, ")
        .append(num(w.failing()))
        .append(" would be rejected (")
        .append(num(w.rejectedNow()))
        .append(" already were). Receivers may still make exceptions of their own, such as for")
        .append(" known forwarders.</p>\n<ul class=\"advice\">");
    for (Impact i : w.impacts()) {
      h.append("<li>")
          .append(key(COLOURS[i.sourceClass().ordinal()]))
          .append("<b>")
          .append(i.sourceClass().keyword())
          .append("</b>: ")
          .append(esc(i.advice()))
          .append("</li>");
    }
    h.append("</ul></section>\n");
  }

  private static void sources(StringBuilder h, DomainSummary s) {
    h.append("<section id=\"sources\"><h2>Sources</h2>\n");
    for (ClassTotal c : s.classes()) {
      if (c.messages() == 0) {
        continue;
      }
      h.append("<h3>")
          .append(key(COLOURS[c.sourceClass().ordinal()]))
          .append(c.sourceClass().keyword())
          .append(" (")
          .append(num(c.sources()))
          .append(c.sources() == 1 ? " source" : " sources")
          .append(")</h3>\n<div class=\"scroll\"><table><tr><th>source</th>")
          .append("<th class=\"n\">messages</th><th>reporters</th><th>From</th>")
          .append("<th>envelope-from</th><th>SPF</th><th>DKIM</th></tr>");
      long shown = 0;
      for (Source src : s.sources()) {
        if (src.sourceClass() != c.sourceClass()) {
          continue;
        }
        shown++;
        h.append("<tr><td class=\"ip\">").append(esc(src.ip()));
        if (src.reverseName() != null) {
          h.append("<br><span class=\"muted\">").append(esc(src.reverseName())).append("</span>");
        }
        h.append("</td><td class=\"n\">")
            .append(num(src.messages()))
            .append("</td><td>")
            .append(names(src.reporters()))
            .append("</td><td>")
            .append(names(src.headerFrom()))
            .append("</td><td>")
            .append(names(src.envelopeFrom()))
            .append("</td><td>")
            .append(names(src.spf()))
            .append("</td><td>")
            .append(names(src.dkim()))
            .append("</td></tr>");
      }
      h.append("</table></div>");
      if (c.sources() > shown) {
        h.append("<p class=\"muted\">")
            .append(num(c.sources() - shown))
            .append(" smaller sources not listed.</p>");
      }
      h.append('\n');
    }
    h.append("</section>\n");
  }

  /** A timeline per reporter: its days from first to last, with the gaps cut out. */
  private static void reporters(StringBuilder h, DomainSummary s) {
    List<Reporter> reps = s.reporters();
    h.append("<section id=\"reporters\"><h2>Reporters</h2>\n");
    LocalDate firstDay = s.firstDay();
    LocalDate lastDay = s.lastDay();
    if (!reps.isEmpty() && firstDay != null && lastDay != null) {
      long first = firstDay.toEpochDay();
      long span = lastDay.toEpochDay() - first + 1;
      int row = 18;
      int w = 800;
      int ht = row * reps.size() + 6;
      double slot = (double) w / span;
      h.append("<svg viewBox=\"0 0 ")
          .append(w)
          .append(' ')
          .append(ht)
          .append("\" role=\"img\" aria-label=\"Days with reports, per reporter\">")
          .append("<title>Days with reports, per reporter</title>");
      int y = 3;
      for (Reporter r : reps) {
        double x0 = (r.firstDay().toEpochDay() - first) * slot;
        double x1 = (r.lastDay().toEpochDay() - first + 1) * slot;
        rect(h, 0, y, w, row - 4, "#eeeeee", null);
        rect(h, x0, y, Math.max(1, x1 - x0), row - 4, "#5c6bc0", r.orgName());
        for (Gap g : r.gaps()) {
          double gx = (g.from().toEpochDay() - first) * slot;
          rect(h, gx, y, Math.max(1, g.days() * slot), row - 4, FAIL, "gap " + g.from());
        }
        y += row;
      }
      h.append("</svg>\n<p>")
          .append(key("#5c6bc0"))
          .append("days with reports ")
          .append(key(FAIL))
          .append("gaps</p>\n");
    }
    h.append("<div class=\"scroll\"><table><tr><th>reporter</th><th class=\"n\">reports</th>")
        .append("<th class=\"n\">messages</th><th>first</th><th>last</th>")
        .append("<th>days without a report</th></tr>");
    for (Reporter r : reps) {
      h.append("<tr><td>")
          .append(esc(r.orgName()))
          .append("<br><span class=\"muted\">")
          .append(esc(r.email()))
          .append("</span></td><td class=\"n\">")
          .append(num(r.reports()))
          .append("</td><td class=\"n\">")
          .append(num(r.messages()))
          .append("</td><td>")
          .append(r.firstDay())
          .append("</td><td>")
          .append(r.lastDay())
          .append("</td><td>");
      if (r.gaps().isEmpty()) {
        h.append("none");
      } else {
        String sep = "";
        for (Gap g : r.gaps()) {
          h.append(sep).append(g.from());
          if (g.days() > 1) {
            h.append(" to ").append(g.to());
          }
          sep = ", ";
        }
      }
      h.append("</td></tr>");
    }
    h.append("</table></div>");
    if (s.otherReporters() > 0) {
      h.append("<p class=\"muted\">")
          .append(num(s.otherReporters()))
          .append(" more reporters not listed.</p>");
    }
    h.append("</section>\n");
  }

  private static String names(List<Named> names) {
    StringBuilder b = new StringBuilder();
    for (Named n : names) {
      if (b.length() > 0) {
        b.append("<br>");
      }
      b.append(n.name().isEmpty() ? "<span class=\"muted\">(none)</span>" : esc(n.name()));
      if (n.result() != null) {
        b.append(' ').append(esc(n.result()));
      }
      b.append(" <span class=\"muted\">").append(num(n.messages())).append("</span>");
    }
    return b.toString();
  }

  private static void rect(
      StringBuilder h,
      double x,
      double y,
      double width,
      double height,
      String fill,
      @Nullable String tip) {
    if (width <= 0 || height <= 0) {
      return;
    }
    h.append("<rect x=\"")
        .append(fmt(x))
        .append("\" y=\"")
        .append(fmt(y))
        .append("\" width=\"")
        .append(fmt(width))
        .append("\" height=\"")
        .append(fmt(height))
        .append("\" fill=\"")
        .append(fill)
        .append('"');
    if (tip == null) {
      h.append("/>");
    } else {
      h.append("><title>").append(esc(tip)).append("</title></rect>");
    }
  }

  private static void label(StringBuilder h, double x, double y, String anchor, String text) {
    h.append("<text x=\"")
        .append(fmt(x))
        .append("\" y=\"")
        .append(fmt(y))
        .append("\" font-size=\"12\" fill=\"#444\" text-anchor=\"")
        .append(anchor)
        .append("\">")
        .append(esc(text))
        .append("</text>");
  }

  private static String key(String colour) {
    return "<span class=\"key\" style=\"background:" + colour + "\"></span>";
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String num(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String percent(long part, long whole) {
    return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
  }

  /**
   * {@return text made safe for HTML element content and quoted attribute values}
   *
   * @param s any text, for example from a report
   */
  public static String esc(String s) {
    Objects.requireNonNull(s, "s");
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          boolean pair =
              Character.isHighSurrogate(c)
                  && i + 1 < s.length()
                  && Character.isLowSurrogate(s.charAt(i + 1));
          if (pair) {
            b.append(c).append(s.charAt(++i));
          } else if (unsafe(c)) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /** Control, separator and bidirectional characters, and lone surrogates. */
  static boolean unsafe(char c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == 0x061c
        || c == 0x200e
        || c == 0x200f
        || c == 0x2028
        || c == 0x2029
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069)
        || Character.isSurrogate(c)
        || c == 0xfeff;
  }
}
