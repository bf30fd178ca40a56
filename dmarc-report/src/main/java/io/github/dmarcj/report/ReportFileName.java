// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The file name of an aggregate report attachment (RFC 9990 §3.5.1; RFC 7489 §7.2.1.1): {@code
 * receiver "!" policy-domain "!" begin "!" end ["!" unique-id] "." ("xml" / "xml.gz")}, for example
 * {@code mail.receiver.example!example.com!1013662812!1013749130.xml.gz}.
 *
 * @since 0.1.0
 */
public final class ReportFileName {
  private static final Pattern UNIQUE_ID = Pattern.compile("[A-Za-z0-9]+");
  private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9._-]+");

  private ReportFileName() {}

  /**
   * {@return the file name for a report}
   *
   * @param receiver the reporting domain
   * @param report the report (policy domain and period)
   * @param uniqueId an optional {@code 1*(ALPHA / DIGIT)} id
   * @param gzip whether the content is gzip-compressed ({@code .xml.gz}) or plain ({@code .xml})
   * @throws IllegalArgumentException if the receiver or unique id does not fit the grammar
   */
  public static String of(
      String receiver, AggregateReport report, Optional<String> uniqueId, boolean gzip) {
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(uniqueId, "uniqueId");
    if (!DOMAIN.matcher(receiver).matches()) {
      throw new IllegalArgumentException("receiver is not a domain name: " + receiver);
    }
    uniqueId.ifPresent(
        u -> {
          if (!UNIQUE_ID.matcher(u).matches()) {
            throw new IllegalArgumentException("unique-id must be letters and digits: " + u);
          }
        });
    return receiver
        + "!"
        + report.policy().domain()
        + "!"
        + report.begin().getEpochSecond()
        + "!"
        + report.end().getEpochSecond()
        + uniqueId.map(u -> "!" + u).orElse("")
        + (gzip ? ".xml.gz" : ".xml");
  }
}
