// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who sends an aggregate report ({@code report_metadata}, RFC 9990 §3.1.1.2), without the period,
 * which comes from the aggregation.
 *
 * @param orgName the reporting organization ({@code org_name})
 * @param email the contact address ({@code email})
 * @param extraContactInfo more contact details ({@code extra_contact_info})
 * @param reportId the report identifier ({@code report_id}); RFC 9990 §3.1.4 {@code ridfmt}: {@code
 *     dot-atom-text ["@" dot-atom-text]}, optionally in angle brackets (RFC 9990 §3.1.4)
 * @param generator the generating software ({@code generator}, RFC 9990 only)
 * @since 0.1.0
 */
public record ReportMetadata(
    String orgName,
    String email,
    Optional<String> extraContactInfo,
    String reportId,
    Optional<String> generator) {
  private static final String ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
  private static final String DOT_ATOM = ATEXT + "+(?:\\." + ATEXT + "+)*";
  private static final Pattern RID =
      Pattern.compile(DOT_ATOM + "(?:@" + DOT_ATOM + ")?|<" + DOT_ATOM + "(?:@" + DOT_ATOM + ")?>");

  /** The {@code generator} value this library writes by default. */
  public static final String GENERATOR = "dmarcj";

  /**
   * Checks the components: organization name and email not blank, a valid report id.
   *
   * @param orgName the reporting organization ({@code org_name})
   * @param email the contact address ({@code email})
   * @param extraContactInfo more contact details ({@code extra_contact_info})
   * @param reportId the report identifier ({@code report_id}); RFC 9990 §3.1.4 {@code ridfmt}:
   *     {@code dot-atom-text ["@" dot-atom-text]}, optionally in angle brackets (RFC 9990 §3.1.4)
   * @param generator the generating software ({@code generator}, RFC 9990 only)
   */
  public ReportMetadata {
    Objects.requireNonNull(orgName, "orgName");
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(extraContactInfo, "extraContactInfo");
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(generator, "generator");
    if (orgName.isBlank()) {
      throw new IllegalArgumentException("orgName is blank");
    }
    if (email.isBlank()) {
      throw new IllegalArgumentException("email is blank");
    }
    if (!isValidReportId(reportId)) {
      throw new IllegalArgumentException(
          "report_id is not dot-atom-text [@ dot-atom-text]: " + reportId);
    }
  }

  /**
   * {@return metadata with a report id and the default generator, no extra contact information}
   *
   * @param orgName the reporting organization's name
   * @param email the reporter's contact address
   * @param reportId the report id
   */
  public static ReportMetadata of(String orgName, String email, String reportId) {
    return new ReportMetadata(orgName, email, Optional.empty(), reportId, Optional.of(GENERATOR));
  }

  /**
   * {@return whether the text matches RFC 9990 §3.1.4 {@code ridfmt}}
   *
   * @param reportId the text to check
   */
  public static boolean isValidReportId(String reportId) {
    return RID.matcher(reportId).matches();
  }

  /**
   * A report id derived from this one for the {@code n}-th report of the same period (n ≥ 2), by
   * appending {@code .n} to the local part, so that ids stay unique and valid.
   */
  ReportMetadata withPart(int n) {
    String id = reportId;
    boolean angled = id.startsWith("<");
    String core = angled ? id.substring(1, id.length() - 1) : id;
    int at = core.indexOf('@');
    String derived = at < 0 ? core + "." + n : core.substring(0, at) + "." + n + core.substring(at);
    return new ReportMetadata(
        orgName, email, extraContactInfo, angled ? "<" + derived + ">" : derived, generator);
  }

  /** {@return the id without angle brackets, for file names and subjects} */
  public String bareReportId() {
    return reportId.startsWith("<") ? reportId.substring(1, reportId.length() - 1) : reportId;
  }
}
