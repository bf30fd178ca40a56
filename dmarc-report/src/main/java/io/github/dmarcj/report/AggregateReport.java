// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.verify.ReportRecord;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One aggregate report (RFC 9990 §3.1; RFC 7489 §7.2): one policy domain, one policy configuration
 * and one period, with one {@link Row} per group of identical messages (RFC 9990 §3.1.1.7). Built
 * by {@link ReportAggregator}, written by {@link AggregateReportWriter}.
 *
 * @param metadata who reports ({@code report_metadata})
 * @param begin start of the period, inclusive ({@code date_range/begin})
 * @param end end of the period, exclusive, written as given ({@code date_range/end})
 * @param policy the policy published ({@code policy_published})
 * @param rows at least one row ({@code record})
 * @since 0.1.0
 */
public record AggregateReport(
    ReportMetadata metadata,
    Instant begin,
    Instant end,
    ReportRecord.PublishedPolicy policy,
    List<Row> rows) {
  /**
   * Checks the components (at least one row, {@code end} not before {@code begin}); copies the
   * rows.
   *
   * @param metadata who reports ({@code report_metadata})
   * @param begin start of the period, inclusive ({@code date_range/begin})
   * @param end end of the period, exclusive, written as given ({@code date_range/end})
   * @param policy the policy published ({@code policy_published})
   * @param rows at least one row ({@code record})
   */
  public AggregateReport {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(begin, "begin");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(policy, "policy");
    rows = List.copyOf(rows);
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("a report needs at least one record (RFC 9990 §3.1.1)");
    }
    if (end.isBefore(begin)) {
      throw new IllegalArgumentException("end before begin");
    }
  }

  /** {@return the number of messages in the report} */
  public long messageCount() {
    long n = 0;
    for (Row r : rows) {
      n += r.count();
    }
    return n;
  }

  /**
   * One {@code record}: a source address, the evaluated result, the identifiers and the
   * authentication results shared by {@code count} messages (RFC 9990 §3.1.1.7).
   *
   * @param sourceIp {@code row/source_ip}
   * @param count {@code row/count}
   * @param disposition the disposition applied ({@code policy_evaluated/disposition})
   * @param dkimAligned {@code policy_evaluated/dkim}
   * @param spfAligned {@code policy_evaluated/spf}
   * @param overrides {@code policy_evaluated/reason}
   * @param headerFrom {@code identifiers/header_from}
   * @param envelopeFrom {@code identifiers/envelope_from}
   * @param envelopeTo {@code identifiers/envelope_to}
   * @param dkim {@code auth_results/dkim}, in RFC 9990 §3.1.3 priority order, at most 100
   * @param spf {@code auth_results/spf}
   */
  public record Row(
      InetAddress sourceIp,
      long count,
      DmarcPolicy disposition,
      DmarcResult dkimAligned,
      DmarcResult spfAligned,
      List<ReportRecord.Override> overrides,
      String headerFrom,
      Optional<String> envelopeFrom,
      Optional<String> envelopeTo,
      List<ReportRecord.DkimAuth> dkim,
      ReportRecord.SpfAuth spf) {
    /**
     * Checks the components ({@code count} at least 1); copies the lists.
     *
     * @param sourceIp {@code row/source_ip}
     * @param count {@code row/count}
     * @param disposition the disposition applied ({@code policy_evaluated/disposition})
     * @param dkimAligned {@code policy_evaluated/dkim}
     * @param spfAligned {@code policy_evaluated/spf}
     * @param overrides {@code policy_evaluated/reason}
     * @param headerFrom {@code identifiers/header_from}
     * @param envelopeFrom {@code identifiers/envelope_from}
     * @param envelopeTo {@code identifiers/envelope_to}
     * @param dkim {@code auth_results/dkim}, in RFC 9990 §3.1.3 priority order, at most 100
     * @param spf {@code auth_results/spf}
     */
    public Row {
      Objects.requireNonNull(sourceIp, "sourceIp");
      Objects.requireNonNull(disposition, "disposition");
      Objects.requireNonNull(dkimAligned, "dkimAligned");
      Objects.requireNonNull(spfAligned, "spfAligned");
      overrides = List.copyOf(overrides);
      Objects.requireNonNull(headerFrom, "headerFrom");
      Objects.requireNonNull(envelopeFrom, "envelopeFrom");
      Objects.requireNonNull(envelopeTo, "envelopeTo");
      dkim = List.copyOf(dkim);
      Objects.requireNonNull(spf, "spf");
      if (count < 1) {
        throw new IllegalArgumentException("count must be positive: " + count);
      }
    }

    /** {@return whether DMARC passed for these messages (an aligned pass of either method)} */
    public boolean dmarcPass() {
      return dkimAligned == DmarcResult.PASS || spfAligned == DmarcResult.PASS;
    }
  }
}
