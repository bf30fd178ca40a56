// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.summary;

import io.github.dmarcj.report.summary.DomainSummary.ClassTotal;
import io.github.dmarcj.report.summary.DomainSummary.Impact;
import io.github.dmarcj.report.summary.DomainSummary.Named;
import io.github.dmarcj.report.summary.DomainSummary.Source;
import io.github.dmarcj.report.summary.DomainSummary.WhatIf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The "what if" of a summary and the next step for each class, as plain sentences. */
final class Advice {
  /** Foreign domains named in the third-party advice. */
  static final int NAMED_DOMAINS = 3;

  private Advice() {}

  static WhatIf whatIf(String domain, List<ClassTotal> classes, List<Source> sources) {
    long failing = 0;
    long quarantined = 0;
    long rejected = 0;
    List<Impact> impacts = new ArrayList<>();
    for (ClassTotal c : classes) {
      boolean fails = !c.sourceClass().passesDmarc();
      if (fails) {
        failing += c.messages();
        quarantined += c.dispositions().quarantine();
        rejected += c.dispositions().reject();
      }
      impacts.add(
          new Impact(
              c.sourceClass(), fails ? c.messages() : 0, c.sources(), advice(domain, c, sources)));
    }
    return new WhatIf(failing, quarantined, rejected, impacts);
  }

  static String advice(String domain, ClassTotal c, List<Source> sources) {
    String mail = count(c.messages(), "message") + " from " + count(c.sources(), "source");
    if (c.messages() == 0) {
      return switch (c.sourceClass()) {
        case ALIGNED -> "No mail passed DMARC through aligned SPF.";
        case FORWARDED -> "No mail passed DMARC through DKIM alone.";
        case THIRD_PARTY -> "No mail was authenticated only for another domain.";
        case FAILING -> "No mail failed both SPF and DKIM.";
      };
    }
    return switch (c.sourceClass()) {
      case ALIGNED ->
          mail
              + " passed DMARC through aligned SPF: your own servers. Nothing to do; keep them in"
              + " the SPF record of "
              + domain
              + ".";
      case FORWARDED ->
          mail
              + " passed DMARC through DKIM alone: forwarders and mailing lists that keep your"
              + " signature, or services that sign with d="
              + domain
              + " but use their own bounce domain. They are fine under p=quarantine and p=reject"
              + " as long as DKIM keeps passing.";
      case THIRD_PARTY -> {
        List<String> foreign = foreignDomains(domain, sources);
        yield mail
            + " failed DMARC but passed SPF or DKIM for another domain"
            + (foreign.isEmpty() ? "" : " (" + String.join(", ", foreign) + ")")
            + ": a service sending for you that is not set up for "
            + domain
            + ", or a mailing list that signs with its own domain. If you use the service, set"
            + " up DKIM with d="
            + domain
            + " at it (or a bounce domain under "
            + domain
            + " so SPF aligns) before moving to p=quarantine or p=reject; otherwise this mail will"
            + " be quarantined or rejected.";
      }
      case FAILING ->
          mail
              + " passed neither SPF nor DKIM: most likely spoofing. If none of these addresses is"
              + " yours, p=reject is safe for them; if one is, add it to the SPF record of "
              + domain
              + " and sign its mail with DKIM.";
    };
  }

  /** The domains, other than the policy domain, that passed for third-party sources. */
  private static List<String> foreignDomains(String domain, List<Source> sources) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Source s : sources) {
      if (s.sourceClass() != SourceClass.THIRD_PARTY) {
        continue;
      }
      List<Named> passed = new ArrayList<>(s.dkim());
      passed.addAll(s.spf());
      for (Named n : passed) {
        String name = n.name();
        if ("pass".equals(n.result()) && !name.isEmpty() && !name.equalsIgnoreCase(domain)) {
          counts.merge(name, n.messages(), Long::sum);
        }
      }
    }
    List<Map.Entry<String, Long>> list = new ArrayList<>(counts.entrySet());
    list.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Long> e : list) {
      if (out.size() == NAMED_DOMAINS) {
        break;
      }
      out.add(e.getKey());
    }
    return out;
  }

  static String count(long n, String noun) {
    return String.format(java.util.Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
  }
}
