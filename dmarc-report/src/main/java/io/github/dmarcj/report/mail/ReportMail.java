// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.mail;

import io.github.dmarcj.report.AggregateReport;
import io.github.dmarcj.report.AggregateReportWriter;
import io.github.dmarcj.report.ReportFileName;
import io.github.dmarcj.report.ReportFormat;
import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Builds the mail that carries one aggregate report to one destination (RFC 9990 §3.5; RFC 7489
 * §7.2.1.1):
 *
 * <ul>
 *   <li>{@code Subject: Report Domain: <policy domain> Submitter: <reporting domain> Report-ID:
 *       <<report id>>} (RFC 9990 §3.5.1; the same report id as in the XML);
 *   <li>From the reporting address, To the destination, {@code Date}, and a {@code Message-ID}
 *       derived from the report id and the destination, so a resent report is the same message;
 *   <li>a short text part saying what the attachment is, and the report as an {@code
 *       application/gzip} attachment named per RFC 9990 §3.5.1 ({@code
 *       receiver!policy-domain!begin!end.xml.gz});
 *   <li>signed by the {@link MailSigner}, when one is given, so the mail passes DMARC for the
 *       reporting domain (RFC 9990 §3.5.2).
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ReportMail {
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final InternetAddress from;
  private final String submitter;
  private final String receiver;
  private final ReportFormat format;
  private final Optional<MailSigner> signer;
  private final Clock clock;
  private final Session session = Session.getInstance(new Properties());

  private ReportMail(Builder b) {
    this.from = b.from;
    this.submitter = b.submitter;
    this.receiver = b.receiver != null ? b.receiver : b.submitter;
    this.format = b.format;
    this.signer = Optional.ofNullable(b.signer);
    this.clock = b.clock;
  }

  /**
   * {@return a builder}
   *
   * @param from the reporting address the mails come from (its domain is the submitter unless
   *     {@link Builder#submitter(String)} says otherwise)
   * @throws IllegalArgumentException if {@code from} is not one mail address with a domain
   */
  public static Builder builder(String from) {
    return new Builder(from);
  }

  /** {@return the reporting address the mails come from (the address part of From)} */
  public String fromAddress() {
    return from.getAddress();
  }

  /** {@return the domain named as {@code Submitter:} in the Subject} */
  public String submitter() {
    return submitter;
  }

  /**
   * {@return the attachment's file name for {@code report}}
   *
   * @param report the report
   */
  public String fileName(AggregateReport report) {
    return ReportFileName.of(receiver, report, Optional.empty(), true);
  }

  /**
   * {@return the Subject of the mail for {@code report} (RFC 9990 §3.5.1)}
   *
   * @param report the report
   */
  public String subject(AggregateReport report) {
    return "Report Domain: "
        + report.policy().domain()
        + " Submitter: "
        + submitter
        + " Report-ID: <"
        + report.metadata().bareReportId()
        + ">";
  }

  /**
   * {@return the Message-ID of the mail for {@code report} to {@code to}: the same for the same
   * report id, policy domain, period and destination, so a resend is recognisably the same mail}
   *
   * @param report the report
   * @param to the destination address
   */
  public String messageId(AggregateReport report, String to) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String key =
          report.metadata().bareReportId()
              + "\n"
              + report.policy().domain()
              + "\n"
              + report.begin().getEpochSecond()
              + "\n"
              + report.end().getEpochSecond()
              + "\n"
              + to.toLowerCase(Locale.ROOT);
      byte[] h = sha.digest(key.getBytes(StandardCharsets.UTF_8));
      return "<dmarc-report." + HexFormat.of().formatHex(h, 0, 16) + "@" + submitter + ">";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * Builds the mail carrying {@code report} to {@code to}.
   *
   * @param report the report
   * @param to the destination: the address part of a {@code mailto:} URI
   * @return the whole mail, CRLF line endings, signed when a signer was given
   * @throws IllegalArgumentException if {@code to} is not one mail address
   */
  public byte[] compose(AggregateReport report, String to) {
    Objects.requireNonNull(report, "report");
    InternetAddress recipient = MailAddresses.parse(to, "to");
    byte[] gzip = AggregateReportWriter.toGzip(report, format);
    try {
      String messageId = messageId(report, recipient.getAddress());
      MimeMessage m =
          new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
              setHeader("Message-ID", messageId);
            }
          };
      m.setFrom(from);
      m.setRecipient(jakarta.mail.Message.RecipientType.TO, recipient);
      m.setSubject(subject(report), "US-ASCII");
      m.setSentDate(Date.from(clock.instant()));

      MimeBodyPart text = new MimeBodyPart();
      text.setText(text(report), "US-ASCII");
      MimeBodyPart attachment = new MimeBodyPart();
      attachment.setDataHandler(new DataHandler(new ByteArrayDataSource(gzip, "application/gzip")));
      attachment.setFileName(fileName(report));
      attachment.setDisposition(MimeBodyPart.ATTACHMENT);
      attachment.setHeader("Content-Transfer-Encoding", "base64");
      MimeMultipart mixed = new FixedBoundary(messageId);
      mixed.addBodyPart(text);
      mixed.addBodyPart(attachment);
      m.setContent(mixed);
      m.saveChanges();

      ByteArrayOutputStream out = new ByteArrayOutputStream(gzip.length * 4 / 3 + 2048);
      m.writeTo(out);
      byte[] unsigned = out.toByteArray();
      if (signer.isEmpty()) {
        return unsigned;
      }
      return signer.get().sign(unsigned);
    } catch (MessagingException | IOException e) {
      throw new IllegalStateException("cannot build the report mail: " + e.getMessage(), e);
    }
  }

  private String text(AggregateReport report) {
    return "This is a DMARC aggregate report ("
        + (format == ReportFormat.RFC9990 ? "RFC 9990" : "RFC 7489")
        + ") for "
        + report.policy().domain()
        + " from "
        + submitter
        + ".\r\n"
        + "Period: "
        + DAY.format(report.begin())
        + " to "
        + DAY.format(report.end())
        + ".\r\n"
        + "Messages: "
        + report.messageCount()
        + " in "
        + report.rows().size()
        + " records.\r\n"
        + "Report-ID: <"
        + report.metadata().bareReportId()
        + ">\r\n"
        + "The report is the attached file "
        + fileName(report)
        + " (gzip-compressed XML).\r\n";
  }

  /**
   * A multipart/mixed whose boundary follows from the Message-ID, so the same report to the same
   * destination is the same bytes (and the same signature). The boundary holds {@code =_}, which
   * neither base64 nor the text part contains.
   */
  private static final class FixedBoundary extends MimeMultipart {
    FixedBoundary(String messageId) {
      super("mixed");
      String id = messageId.substring(messageId.indexOf('.') + 1, messageId.indexOf('@'));
      contentType = "multipart/mixed; boundary=\"=_dmarc_" + id + "\"";
    }
  }

  /** Settings of a {@link ReportMail}. */
  public static final class Builder {
    private final InternetAddress from;
    private String submitter;
    private @Nullable String receiver;
    private ReportFormat format = ReportFormat.RFC9990;
    private @Nullable MailSigner signer;
    private Clock clock = Clock.systemUTC();

    private Builder(String from) {
      this.from = MailAddresses.parse(from, "from");
      String addr = this.from.getAddress();
      this.submitter = addr.substring(addr.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * Sets the domain named as {@code Submitter:} in the Subject (default: the domain of the From
     * address).
     *
     * @param domain the reporting domain
     * @return this builder
     */
    public Builder submitter(String domain) {
      this.submitter = MailAddresses.domain(domain, "submitter");
      return this;
    }

    /**
     * Sets the receiver named first in the attachment's file name (default: the submitter).
     *
     * @param domain the receiving domain
     * @return this builder
     */
    public Builder receiver(String domain) {
      this.receiver = MailAddresses.domain(domain, "receiver");
      return this;
    }

    /**
     * Sets the XML format (default RFC 9990).
     *
     * @param format the format
     * @return this builder
     */
    public Builder format(ReportFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /**
     * Signs every mail (DKIM, so the mail passes DMARC for the reporting domain).
     *
     * @param signer the signer
     * @return this builder
     */
    public Builder signer(MailSigner signer) {
      this.signer = Objects.requireNonNull(signer, "signer");
      return this;
    }

    /**
     * Sets the clock of the {@code Date} field.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** {@return the report mail builder's result} */
    public ReportMail build() {
      return new ReportMail(this);
    }
  }
}
