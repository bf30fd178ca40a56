// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.summary;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The summary of the received aggregate reports about one domain over a range of days. Days are
 * UTC; a report counts on the day of the middle of its period. Everything taken from a report (org
 * names, addresses, IPs, domains) is as the reporter wrote it: renderers must escape it.
 *
 * @param domain the policy domain, lower case
 * @param since the first day asked for, if any
 * @param until the last day asked for, if any
 * @param reports how many reports were read
 * @param messages how many messages they count
 * @param policies the policies the reports say were published, most reports first
 * @param days the volume per day, in day order (days without reports are absent)
 * @param classes one entry per {@link SourceClass}, in enum order
 * @param sources the largest sources of each class (at most {@link
 *     ReportSummarizer.Builder#maxSources} each), class by class, largest first
 * @param whatIf what a stricter policy would do to the mail of these days
 * @param reporters the reporters, most messages first (at most {@link
 *     ReportSummarizer.Builder#maxReporters})
 * @param otherReporters reporters left out of {@code reporters}
 * @param reverseNames whether reverse names were looked up
 * @since 0.1.0
 */
public record DomainSummary(
    String domain,
    @Nullable LocalDate since,
    @Nullable LocalDate until,
    long reports,
    long messages,
    List<Policy> policies,
    List<Day> days,
    List<ClassTotal> classes,
    List<Source> sources,
    WhatIf whatIf,
    List<Reporter> reporters,
    long otherReporters,
    boolean reverseNames) {
  /**
   * Checks the components and copies the lists.
   *
   * @param domain see the record
   * @param since see the record
   * @param until see the record
   * @param reports see the record
   * @param messages see the record
   * @param policies see the record
   * @param days see the record
   * @param classes see the record
   * @param sources see the record
   * @param whatIf see the record
   * @param reporters see the record
   * @param otherReporters see the record
   * @param reverseNames see the record
   */
  public DomainSummary {
    Objects.requireNonNull(domain, "domain");
    policies = List.copyOf(policies);
    days = List.copyOf(days);
    classes = List.copyOf(classes);
    sources = List.copyOf(sources);
    Objects.requireNonNull(whatIf, "whatIf");
    reporters = List.copyOf(reporters);
  }

  /** {@return whether no report matched} */
  public boolean isEmpty() {
    return reports == 0;
  }

  /** {@return messages that passed DMARC} */
  public long dmarcPass() {
    long n = 0;
    for (ClassTotal c : classes) {
      if (c.sourceClass().passesDmarc()) {
        n += c.messages();
      }
    }
    return n;
  }

  /** {@return messages that failed DMARC} */
  public long dmarcFail() {
    return messages - dmarcPass();
  }

  /** {@return the first day with reports, if any} */
  public @Nullable LocalDate firstDay() {
    return days.isEmpty() ? null : days.get(0).day();
  }

  /** {@return the last day with reports, if any} */
  public @Nullable LocalDate lastDay() {
    return days.isEmpty() ? null : days.get(days.size() - 1).day();
  }

  /**
   * A published policy as the reports state it ({@code policy_published}).
   *
   * @param p the {@code p} tag, if given
   * @param pct the {@code pct} tag (RFC 7489), if given
   * @param testing the {@code testing} flag (RFC 9990), if given
   * @param reports how many reports state it
   * @param lastDay the last day a report states it
   */
  public record Policy(
      @Nullable String p,
      @Nullable Integer pct,
      @Nullable String testing,
      long reports,
      LocalDate lastDay) {
    /**
     * Checks the components.
     *
     * @param p see the record
     * @param pct see the record
     * @param testing see the record
     * @param reports see the record
     * @param lastDay see the record
     */
    public Policy {
      Objects.requireNonNull(lastDay, "lastDay");
    }
  }

  /**
   * The messages of one day.
   *
   * @param day the UTC day
   * @param pass messages that passed DMARC
   * @param fail messages that failed DMARC
   * @param dispositions the dispositions the reporters applied
   */
  public record Day(LocalDate day, long pass, long fail, Dispositions dispositions) {
    /**
     * Checks the components.
     *
     * @param day see the record
     * @param pass see the record
     * @param fail see the record
     * @param dispositions see the record
     */
    public Day {
      Objects.requireNonNull(day, "day");
      Objects.requireNonNull(dispositions, "dispositions");
    }

    /** {@return all messages of the day} */
    public long messages() {
      return pass + fail;
    }
  }

  /**
   * Messages by the disposition the reporter applied ({@code policy_evaluated/disposition}).
   *
   * @param none {@code none} (delivered)
   * @param pass {@code pass} (RFC 9990: passed under an enforcing policy)
   * @param quarantine {@code quarantine}
   * @param reject {@code reject}
   * @param other absent or another word
   */
  public record Dispositions(long none, long pass, long quarantine, long reject, long other) {
    /** No messages. */
    public static final Dispositions ZERO = new Dispositions(0, 0, 0, 0, 0);

    /**
     * {@return these counts plus {@code n} messages of a disposition}
     *
     * @param disposition the word, or null when absent
     * @param n the messages
     */
    public Dispositions plus(@Nullable String disposition, long n) {
      if (disposition == null) {
        return new Dispositions(none, pass, quarantine, reject, other + n);
      }
      return switch (disposition) {
        case "none" -> new Dispositions(none + n, pass, quarantine, reject, other);
        case "pass" -> new Dispositions(none, pass + n, quarantine, reject, other);
        case "quarantine" -> new Dispositions(none, pass, quarantine + n, reject, other);
        case "reject" -> new Dispositions(none, pass, quarantine, reject + n, other);
        default -> new Dispositions(none, pass, quarantine, reject, other + n);
      };
    }

    /**
     * {@return the sum of both}
     *
     * @param o the other counts
     */
    public Dispositions plus(Dispositions o) {
      return new Dispositions(
          none + o.none,
          pass + o.pass,
          quarantine + o.quarantine,
          reject + o.reject,
          other + o.other);
    }

    /** {@return all messages} */
    public long total() {
      return none + pass + quarantine + reject + other;
    }
  }

  /**
   * The mail of one class.
   *
   * @param sourceClass the class
   * @param messages its messages
   * @param sources how many distinct source IPs sent it
   * @param dispositions the dispositions applied to it
   */
  public record ClassTotal(
      SourceClass sourceClass, long messages, long sources, Dispositions dispositions) {
    /**
     * Checks the components.
     *
     * @param sourceClass see the record
     * @param messages see the record
     * @param sources see the record
     * @param dispositions see the record
     */
    public ClassTotal {
      Objects.requireNonNull(sourceClass, "sourceClass");
      Objects.requireNonNull(dispositions, "dispositions");
    }
  }

  /**
   * One sending address and the mail of one class it sent (an address whose mail falls in two
   * classes appears twice).
   *
   * @param ip the source IP as reported
   * @param sourceClass the class
   * @param messages its messages
   * @param dispositions the dispositions applied to them
   * @param reporters the reporters' org names, most messages first
   * @param headerFrom the From domains seen, most messages first
   * @param envelopeFrom the envelope-from domains seen, most messages first
   * @param spf the {@code auth_results/spf} domains (scope {@code mfrom} or none) with results
   * @param dkim the DKIM signing domains ({@code auth_results/dkim}) with results
   * @param reverseName the name of its PTR record, if looked up and found
   */
  public record Source(
      String ip,
      SourceClass sourceClass,
      long messages,
      Dispositions dispositions,
      List<Named> reporters,
      List<Named> headerFrom,
      List<Named> envelopeFrom,
      List<Named> spf,
      List<Named> dkim,
      @Nullable String reverseName) {
    /**
     * Checks the components and copies the lists.
     *
     * @param ip see the record
     * @param sourceClass see the record
     * @param messages see the record
     * @param dispositions see the record
     * @param reporters see the record
     * @param headerFrom see the record
     * @param envelopeFrom see the record
     * @param spf see the record
     * @param dkim see the record
     * @param reverseName see the record
     */
    public Source {
      Objects.requireNonNull(ip, "ip");
      Objects.requireNonNull(sourceClass, "sourceClass");
      Objects.requireNonNull(dispositions, "dispositions");
      reporters = List.copyOf(reporters);
      headerFrom = List.copyOf(headerFrom);
      envelopeFrom = List.copyOf(envelopeFrom);
      spf = List.copyOf(spf);
      dkim = List.copyOf(dkim);
    }
  }

  /**
   * A name seen with a count of messages, and for authentication results the result.
   *
   * @param name the name (org name, domain); empty when the report left it out
   * @param result the authentication result ({@code pass}, {@code fail}, ...), if any
   * @param messages the messages
   */
  public record Named(String name, @Nullable String result, long messages) {
    /**
     * Checks the name.
     *
     * @param name see the record
     * @param result see the record
     * @param messages see the record
     */
    public Named {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * What moving to {@code p=quarantine} or {@code p=reject} would do to the mail of these days: all
   * mail that failed DMARC would be quarantined, or rejected (receivers may still apply local
   * policy, such as trusting a forwarder).
   *
   * @param failing messages that failed DMARC: quarantined under {@code p=quarantine}, rejected
   *     under {@code p=reject}
   * @param quarantinedNow of those, how many the reporters quarantined already
   * @param rejectedNow of those, how many the reporters rejected already
   * @param impacts one entry per {@link SourceClass}, in enum order, with the next step
   */
  public record WhatIf(long failing, long quarantinedNow, long rejectedNow, List<Impact> impacts) {
    /**
     * Copies the list.
     *
     * @param failing see the record
     * @param quarantinedNow see the record
     * @param rejectedNow see the record
     * @param impacts see the record
     */
    public WhatIf {
      impacts = List.copyOf(impacts);
    }
  }

  /**
   * The effect of a stricter policy on one class, and what to do about it.
   *
   * @param sourceClass the class
   * @param failing its messages that failed DMARC (always 0 for classes that pass)
   * @param sources the distinct source IPs of the class
   * @param advice the next step, one sentence or two
   */
  public record Impact(SourceClass sourceClass, long failing, long sources, String advice) {
    /**
     * Checks the components.
     *
     * @param sourceClass see the record
     * @param failing see the record
     * @param sources see the record
     * @param advice see the record
     */
    public Impact {
      Objects.requireNonNull(sourceClass, "sourceClass");
      Objects.requireNonNull(advice, "advice");
    }
  }

  /**
   * One reporter (by org name and contact address) and the days it sent reports for.
   *
   * @param orgName its {@code org_name}
   * @param email its {@code email}
   * @param reports how many reports
   * @param messages the messages they count
   * @param firstDay the first day with a report
   * @param lastDay the last day with a report
   * @param days how many days have a report
   * @param gaps the runs of days without a report between the first and the last day
   */
  public record Reporter(
      String orgName,
      String email,
      long reports,
      long messages,
      LocalDate firstDay,
      LocalDate lastDay,
      long days,
      List<Gap> gaps) {
    /**
     * Checks the components and copies the list.
     *
     * @param orgName see the record
     * @param email see the record
     * @param reports see the record
     * @param messages see the record
     * @param firstDay see the record
     * @param lastDay see the record
     * @param days see the record
     * @param gaps see the record
     */
    public Reporter {
      Objects.requireNonNull(orgName, "orgName");
      Objects.requireNonNull(email, "email");
      Objects.requireNonNull(firstDay, "firstDay");
      Objects.requireNonNull(lastDay, "lastDay");
      gaps = List.copyOf(gaps);
    }

    /** {@return the days without a report between the first and the last} */
    public long missingDays() {
      long n = 0;
      for (Gap g : gaps) {
        n += g.days();
      }
      return n;
    }
  }

  /**
   * A run of days without a report.
   *
   * @param from the first missing day
   * @param to the last missing day (inclusive)
   */
  public record Gap(LocalDate from, LocalDate to) {
    /**
     * Checks the order.
     *
     * @param from see the record
     * @param to see the record
     */
    public Gap {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      if (to.isBefore(from)) {
        throw new IllegalArgumentException("gap ends before it starts: " + from + " " + to);
      }
    }

    /** {@return how many days} */
    public long days() {
      return to.toEpochDay() - from.toEpochDay() + 1;
    }
  }
}
