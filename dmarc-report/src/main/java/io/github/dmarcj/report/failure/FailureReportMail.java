// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.failure;

import io.github.dmarcj.report.mail.MailAddresses;
import io.github.dmarcj.report.mail.MailSigner;
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
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Builds the mail that carries one failure report to one destination: an RFC 5965 feedback report
 * of type {@code auth-failure} (RFC 6591; RFC 9991 §4).
 *
 * <ul>
 *   <li>The body is {@code multipart/report; report-type=feedback-report} with exactly three parts
 *       (RFC 5965 §2): a short {@code text/plain} description (which domain, which IP, what
 *       failed), the {@code message/feedback-report} fields, and the original message, its header
 *       only as {@code text/rfc822-headers} or, when the {@link Redactor} includes bodies, whole as
 *       {@code message/rfc822}.
 *   <li>Before anything is written, the {@link Redactor} given to the builder is applied.
 *   <li>From the reporting address, To the destination, {@code Date}, and {@code Subject: FW:
 *       <original Subject>}, the form of the examples in RFC 5965 Appendix B and RFC 9991 Appendix
 *       A (neither RFC prescribes a Subject).
 *   <li>A {@code Message-ID} and a MIME boundary derived from the report's content and the
 *       destination, so that the same report to the same destination at the same clock instant is
 *       the same bytes (and the same signature).
 *   <li>Signed by the {@link MailSigner}, when one is given, so the report passes DMARC for the
 *       reporting domain (RFC 9991 §5.1).
 * </ul>
 *
 * <p>Everything that comes from the original message, its envelope or the DNS is taken as hostile:
 * it cannot add a field to the report's own header (line breaks and control characters are
 * replaced, the Subject is RFC 2047-encoded where it is not ASCII), cannot end a MIME part (the
 * boundary never occurs in a part), and cannot make {@link #compose} throw. Non-ASCII text in the
 * feedback fields is written in UTF-8 (RFC 6532 §3.2) with {@code Content-Transfer-Encoding: 8bit};
 * an original header that is not plain 7-bit text is sent quoted-printable. A whole original that
 * cannot travel as {@code 8bit} (a NUL, a line over 998 octets) is sent as its header only, and the
 * description says so.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 *     <p>(Over 500 lines on purpose: the whole RFC 5965 mail, its three parts, the feedback fields
 *     and the defences against values that would inject fields, with the builder.)
 */
public final class FailureReportMail {
  /** The {@code User-Agent} written unless the builder says otherwise (RFC 5965 §3.1). */
  public static final String DEFAULT_USER_AGENT = "dmarcj";

  private static final Pattern PRODUCT =
      Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:/[!#$%&'*+.^_`|~0-9A-Za-z-]+)?");
  private static final DateTimeFormatter RFC5322 =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final int MAX_SUBJECT = 180;
  private static final int MAX_LINE = 998;

  private final InternetAddress from;
  private final String submitter;
  private final Redactor redactor;
  private final String userAgent;
  private final Optional<String> reportingMta;
  private final Optional<MailSigner> signer;
  private final Clock clock;
  private final Session session = Session.getInstance(new Properties());

  private FailureReportMail(Builder b) {
    this.from = b.from;
    this.submitter = b.submitter;
    this.redactor = b.redactor;
    this.userAgent = b.userAgent;
    this.reportingMta = Optional.ofNullable(b.reportingMta);
    this.signer = Optional.ofNullable(b.signer);
    this.clock = b.clock;
  }

  /**
   * {@return a builder}
   *
   * @param from the reporting address the mails come from (its domain names the Message-IDs unless
   *     {@link Builder#submitter(String)} says otherwise)
   * @param redactor what the reports may carry of the original messages
   * @throws IllegalArgumentException if {@code from} is not one mail address with a domain
   */
  public static Builder builder(String from, Redactor redactor) {
    return new Builder(from, redactor);
  }

  /** {@return the reporting address the mails come from (the address part of From)} */
  public String fromAddress() {
    return from.getAddress();
  }

  /** {@return the domain the Message-IDs are in} */
  public String submitter() {
    return submitter;
  }

  /** {@return the redaction policy applied to every report} */
  public Redactor redactor() {
    return redactor;
  }

  /**
   * {@return the Subject of the mail for {@code report}: {@code FW:} and the original Subject
   * (decoded, redacted, made one line of at most 180 characters), or {@code FW: (no subject)}}
   *
   * @param report the report
   */
  public String subject(FailureReport report) {
    return subjectOf(redactor.apply(Objects.requireNonNull(report, "report")));
  }

  /**
   * {@return the Message-ID of the mail for {@code report} to {@code to}: the same for the same
   * report content and destination, so a resent report is recognisably the same mail}
   *
   * @param report the report
   * @param to the destination address
   */
  public String messageId(FailureReport report, String to) {
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(to, "to");
    return parts(redactor.apply(report)).messageId(to, submitter);
  }

  /**
   * Builds the mail carrying {@code report} to {@code to}, after applying the redaction policy.
   *
   * @param report the report
   * @param to the destination: the address part of a {@code mailto:} URI of {@code ruf}
   * @return the whole mail, CRLF line endings, signed when a signer was given
   * @throws IllegalArgumentException if {@code to} is not one mail address
   */
  public byte[] compose(FailureReport report, String to) {
    Objects.requireNonNull(report, "report");
    InternetAddress recipient = MailAddresses.parse(to, "to");
    FailureReport r = redactor.apply(report);
    Parts p = parts(r);
    String messageId = p.messageId(recipient.getAddress(), submitter);
    String boundary = p.boundary(messageId);
    try {
      MimeMessage m =
          new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
              setHeader("Message-ID", messageId);
            }
          };
      m.setFrom(from);
      m.setRecipient(jakarta.mail.Message.RecipientType.TO, recipient);
      m.setSubject(subjectOf(r), "UTF-8");
      m.setHeader("Date", RFC5322.format(clock.instant()));

      MimeBodyPart text = new MimeBodyPart();
      text.setText(p.text, "us-ascii");
      text.setHeader("Content-Transfer-Encoding", "7bit");
      MimeBodyPart feedback = part(p.feedback, "message/feedback-report", p.feedbackEncoding);
      MimeBodyPart original = part(p.original, p.originalType, p.originalEncoding);
      MimeMultipart multipart = new Report(boundary);
      multipart.addBodyPart(text);
      multipart.addBodyPart(feedback);
      multipart.addBodyPart(original);
      m.setContent(multipart);
      if (p.eightBit()) {
        m.setHeader("Content-Transfer-Encoding", "8bit");
      }
      m.saveChanges();

      ByteArrayOutputStream out = new ByteArrayOutputStream(p.original.length + 4096);
      m.writeTo(out);
      byte[] unsigned = out.toByteArray();
      if (signer.isEmpty()) {
        return unsigned;
      }
      return signer.get().sign(unsigned);
    } catch (MessagingException | IOException e) {
      throw new IllegalStateException("cannot build the failure report mail: " + e.getMessage(), e);
    }
  }

  private static MimeBodyPart part(byte[] content, String type, String encoding)
      throws MessagingException {
    MimeBodyPart part = new MimeBodyPart();
    part.setDataHandler(new DataHandler(new ByteArrayDataSource(content, type)));
    part.setHeader("Content-Type", type);
    part.setHeader("Content-Transfer-Encoding", encoding);
    return part;
  }

  /** The three parts of one report, as bytes before transfer encoding. */
  private static final class Parts {
    String text = "";
    byte[] feedback = new byte[0];
    String feedbackEncoding = "7bit";
    byte[] original = new byte[0];
    String originalType = "text/rfc822-headers";
    String originalEncoding = "7bit";

    boolean eightBit() {
      return feedbackEncoding.equals("8bit") || originalEncoding.equals("8bit");
    }

    String messageId(String to, String domain) {
      MessageDigest sha = sha256();
      sha.update(text.getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) 0);
      sha.update(feedback);
      sha.update((byte) 0);
      sha.update(originalType.getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) 0);
      sha.update(original);
      sha.update((byte) 0);
      sha.update(to.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
      return "<dmarc-failure." + HexFormat.of().formatHex(sha.digest(), 0, 16) + "@" + domain + ">";
    }

    /** {@return a boundary that follows from the Message-ID and occurs in no part} */
    String boundary(String messageId) {
      String id = messageId.substring(messageId.indexOf('.') + 1, messageId.indexOf('@'));
      // Quoted-printable never writes "=_", so only parts sent as they are can hold it.
      return freeBoundary(
          "=_dmarc_failure_" + id,
          text.getBytes(StandardCharsets.US_ASCII),
          feedback,
          originalEncoding.equals("quoted-printable") ? new byte[0] : original);
    }
  }

  /**
   * {@return {@code base}, or {@code base_1}, {@code base_2} and so on: the first that occurs in
   * none of {@code parts}}
   *
   * @param base the boundary wanted
   * @param parts the parts as written
   */
  static String freeBoundary(String base, byte[]... parts) {
    String b = base;
    for (int k = 1; occurs(b, parts); k++) {
      b = base + "_" + k;
    }
    return b;
  }

  private static boolean occurs(String boundary, byte[]... parts) {
    byte[] needle = boundary.getBytes(StandardCharsets.US_ASCII);
    for (byte[] part : parts) {
      if (indexOf(part, needle) >= 0) {
        return true;
      }
    }
    return false;
  }

  private Parts parts(FailureReport r) {
    Parts p = new Parts();
    FeedbackFields f = feedbackFields(r);
    p.feedback = f.bytes();
    p.feedbackEncoding = f.isEightBit() ? "8bit" : "7bit";
    byte[] header = withCrlf(r.originalHeader(), true);
    boolean whole = false;
    boolean tooRaw = false;
    if (r.originalBody().isPresent()) {
      byte[] body = withCrlf(r.originalBody().get(), false);
      byte[] message = new byte[header.length + 2 + body.length];
      System.arraycopy(header, 0, message, 0, header.length);
      message[header.length] = '\r';
      message[header.length + 1] = '\n';
      System.arraycopy(body, 0, message, header.length + 2, body.length);
      if (indexOf(message, new byte[] {0}) < 0 && longestLine(message) <= MAX_LINE) {
        whole = true;
        p.original = message;
        p.originalType = "message/rfc822";
        p.originalEncoding = isSevenBit(message) ? "7bit" : "8bit";
      } else {
        tooRaw = true;
      }
    }
    if (!whole) {
      p.original = header;
      p.originalType = "text/rfc822-headers";
      p.originalEncoding =
          isSevenBit(header) && longestLine(header) <= MAX_LINE ? "7bit" : "quoted-printable";
    }
    p.text = text(r, whole, tooRaw);
    return p;
  }

  private FeedbackFields feedbackFields(FailureReport r) {
    FeedbackFields f = new FeedbackFields();
    f.add("Feedback-Type", "auth-failure");
    f.add("User-Agent", userAgent);
    f.add("Version", "1");
    f.add("Auth-Failure", r.authFailure().keyword());
    if (r.authFailure() == AuthFailure.DMARC) {
      f.add("Identity-Alignment", identityAlignment(r));
    }
    f.add("Arrival-Date", RFC5322.format(r.arrivalDate()));
    f.add("Source-IP", r.sourceIp().getHostAddress());
    r.originalMailFrom().ifPresent(a -> f.add("Original-Mail-From", path(a)));
    for (String a : r.originalRcptTo()) {
      f.add("Original-Rcpt-To", path(a));
    }
    reportingMta.ifPresent(mta -> f.add("Reporting-MTA", "dns; " + mta));
    f.add("Reported-Domain", r.reportedDomain());
    f.add("Authentication-Results", r.authenticationResults());
    r.dkim()
        .ifPresent(
            d -> {
              f.add("DKIM-Domain", d.domain());
              f.add("DKIM-Identity", d.identity());
              f.add("DKIM-Selector", d.selector());
            });
    r.spfDns().ifPresent(s -> f.add("SPF-DNS", s.value()));
    r.deliveryResult().ifPresent(d -> f.add("Delivery-Result", d.keyword()));
    if (r.incidents() > 1) {
      f.add("Incidents", Integer.toString(r.incidents()));
    }
    return f;
  }

  /** {@return an SMTP path: the address in angle brackets (RFC 5321 §4.1.2), not doubled} */
  private static String path(String address) {
    boolean bracketed = address.length() >= 2 && address.startsWith("<") && address.endsWith(">");
    return bracketed ? address : "<" + address + ">";
  }

  private static String identityAlignment(FailureReport r) {
    if (r.identityAlignment().isEmpty()) {
      return "none";
    }
    StringBuilder b = new StringBuilder();
    for (DmarcMethod m : r.identityAlignment()) {
      b.append(b.length() == 0 ? "" : ", ").append(m.keyword());
    }
    return b.toString();
  }

  private String text(FailureReport r, boolean whole, boolean tooRaw) {
    StringBuilder t = new StringBuilder(512);
    t.append("This is an authentication failure report (RFC 6591, RFC 9991) for a message\r\n")
        .append("from the domain ")
        .append(ascii(r.reportedDomain(), 255))
        .append(", received from IP ")
        .append(r.sourceIp().getHostAddress())
        .append("\r\non ")
        .append(RFC5322.format(r.arrivalDate()))
        .append(".\r\n");
    t.append(failure(r));
    t.append("Requested by the published record of ")
        .append(ascii(r.policyDomain(), 255))
        .append(".\r\n");
    if (r.incidents() > 1) {
      t.append("Similar incidents reported here: ").append(r.incidents()).append(".\r\n");
    }
    if (redactor.redactsLocalParts()) {
      t.append("The local parts of mail addresses are replaced by tokens (RFC 6590), so\r\n")
          .append("DKIM signatures of the original message no longer verify.\r\n");
    }
    if (whole) {
      t.append("The original message is attached.\r\n");
    } else if (tooRaw) {
      t.append("The original message cannot travel as it is (a NUL octet or a line over\r\n")
          .append("998 octets): only its header is attached.\r\n");
    } else {
      t.append("The header of the original message is attached.\r\n");
    }
    return t.toString();
  }

  /** {@return what failed, one or two lines ending in CRLF} */
  private static String failure(FailureReport r) {
    String signature =
        r.dkim()
            .map(
                d ->
                    "Signature: d="
                        + ascii(d.domain(), 255)
                        + ", s="
                        + ascii(d.selector(), 64)
                        + ".\r\n")
            .orElse("");
    switch (r.authFailure()) {
      case DMARC:
        return "What failed: DMARC.\r\n"
            + "Mechanisms that failed to authenticate an aligned identity: "
            + (r.identityAlignment().isEmpty()
                ? "none"
                : identityAlignment(r).toUpperCase(Locale.ROOT))
            + ".\r\n";
      case SPF:
        return "What failed: SPF"
            + r.spfDns().map(s -> " for " + ascii(s.domain(), 255)).orElse("")
            + ".\r\n";
      case SIGNATURE:
        return "What failed: a DKIM signature did not verify.\r\n" + signature;
      case BODYHASH:
        return "What failed: the body hash of a DKIM signature did not match.\r\n" + signature;
      case REVOKED:
        return "What failed: the key of a DKIM signature is revoked.\r\n" + signature;
    }
    throw new AssertionError(r.authFailure());
  }

  /** {@return {@code s} as printable ASCII on one line, at most {@code max} characters} */
  private static String ascii(String s, int max) {
    String a = FeedbackFields.safe(s, true);
    return a.length() <= max ? a : a.substring(0, max) + "...";
  }

  private static String subjectOf(FailureReport r) {
    Redaction.View v = Redaction.View.of(r.originalHeader());
    String subject = originalSubject(v.text);
    String s =
        subject == null ? "" : FeedbackFields.safe(EncodedWords.decode(subject, false), false);
    if (s.codePointCount(0, s.length()) > MAX_SUBJECT) {
      s = s.substring(0, s.offsetByCodePoints(0, MAX_SUBJECT)) + "...";
    }
    return "FW: " + (s.isEmpty() ? "(no subject)" : s);
  }

  /** {@return the value of the first Subject field of {@code header}, unfolded, or null} */
  private static @Nullable String originalSubject(String header) {
    int n = header.length();
    int i = 0;
    while (i < n) {
      int eol = i;
      while (eol < n && header.charAt(eol) != '\r' && header.charAt(eol) != '\n') {
        eol++;
      }
      if (eol == i) {
        return null; // the end of the header section
      }
      if (header.regionMatches(true, i, "Subject:", 0, 8)) {
        int end = eol;
        int next = skipBreak(header, end);
        while (next < n && (header.charAt(next) == ' ' || header.charAt(next) == '\t')) {
          end = next;
          while (end < n && header.charAt(end) != '\r' && header.charAt(end) != '\n') {
            end++;
          }
          next = skipBreak(header, end);
        }
        return EncodedWords.unfold(header.substring(i + 8, end));
      }
      i = skipBreak(header, eol);
    }
    return null;
  }

  private static int skipBreak(String s, int at) {
    if (at < s.length() && s.charAt(at) == '\r') {
      at++;
    }
    if (at < s.length() && s.charAt(at) == '\n') {
      at++;
    }
    return at;
  }

  /**
   * {@return {@code raw} with every line break as CRLF; for a header, without the empty lines at
   * its end and ending in CRLF (unless empty)}
   */
  static byte[] withCrlf(byte[] raw, boolean header) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + raw.length / 32 + 2);
    for (int k = 0; k < raw.length; k++) {
      byte c = raw[k];
      if (c == '\r') {
        out.write('\r');
        out.write('\n');
        if (k + 1 < raw.length && raw[k + 1] == '\n') {
          k++;
        }
      } else if (c == '\n') {
        out.write('\r');
        out.write('\n');
      } else {
        out.write(c);
      }
    }
    byte[] b = out.toByteArray();
    if (!header) {
      return b;
    }
    int end = b.length;
    while (end >= 2
        && b[end - 2] == '\r'
        && b[end - 1] == '\n'
        && (end == 2 || b[end - 3] == '\n')) {
      end -= 2; // an empty line at the end
    }
    if (end == 0) {
      return new byte[0];
    }
    boolean endsWithBreak = end >= 2 && b[end - 2] == '\r' && b[end - 1] == '\n';
    byte[] h = new byte[end + (endsWithBreak ? 0 : 2)];
    System.arraycopy(b, 0, h, 0, end);
    if (!endsWithBreak) {
      h[end] = '\r';
      h[end + 1] = '\n';
    }
    return h;
  }

  /** {@return whether {@code b} is printable ASCII, tabs and CRLF pairs only} */
  private static boolean isSevenBit(byte[] b) {
    for (int k = 0; k < b.length; k++) {
      int c = b[k] & 0xFF;
      if (c >= 0x80 || c < 0x20 && c != '\t' && c != '\r' && c != '\n' || c == 0x7F) {
        return false;
      }
    }
    return true;
  }

  /** {@return the length in octets of the longest line of {@code b} (CRLF-separated)} */
  private static int longestLine(byte[] b) {
    int longest = 0;
    int start = 0;
    for (int k = 0; k < b.length; k++) {
      if (b[k] == '\n') {
        longest = Math.max(longest, k - start - 1);
        start = k + 1;
      }
    }
    return Math.max(longest, b.length - start);
  }

  /** {@return the index of the first {@code needle} in {@code hay}, or -1} */
  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The {@code multipart/report} body with a boundary of our choosing. */
  private static final class Report extends MimeMultipart {
    Report(String boundary) {
      super("report");
      contentType = "multipart/report; report-type=feedback-report; boundary=\"" + boundary + "\"";
    }
  }

  /** Settings of a {@link FailureReportMail}. */
  public static final class Builder {
    private final InternetAddress from;
    private final Redactor redactor;
    private String submitter;
    private String userAgent = DEFAULT_USER_AGENT;
    private @Nullable String reportingMta;
    private @Nullable MailSigner signer;
    private Clock clock = Clock.systemUTC();

    private Builder(String from, Redactor redactor) {
      this.from = MailAddresses.parse(from, "from");
      this.redactor = Objects.requireNonNull(redactor, "redactor");
      String addr = this.from.getAddress();
      this.submitter = addr.substring(addr.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * Sets the domain of the Message-IDs (default: the domain of the From address).
     *
     * @param domain the reporting domain
     * @return this builder
     */
    public Builder submitter(String domain) {
      this.submitter = MailAddresses.domain(domain, "submitter");
      return this;
    }

    /**
     * Sets the {@code User-Agent} field (RFC 5965 §3.1; default {@value
     * FailureReportMail#DEFAULT_USER_AGENT}).
     *
     * @param product a product token, optionally with {@code /version}: {@code dmarcj/1.0}
     * @return this builder
     */
    public Builder userAgent(String product) {
      Objects.requireNonNull(product, "product");
      if (!PRODUCT.matcher(product).matches()) {
        throw new IllegalArgumentException("userAgent is not a product token: " + product);
      }
      this.userAgent = product;
      return this;
    }

    /**
     * Writes a {@code Reporting-MTA: dns; <name>} field (RFC 5965 §3.2; default: none).
     *
     * @param hostName the host name of the reporting MTA
     * @return this builder
     */
    public Builder reportingMta(String hostName) {
      this.reportingMta = MailAddresses.domain(hostName, "reportingMta");
      return this;
    }

    /**
     * Signs every mail (DKIM, so the report passes DMARC for the reporting domain, RFC 9991 §5.1).
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

    /** {@return the failure report mail builder's result} */
    public FailureReportMail build() {
      return new FailureReportMail(this);
    }
  }
}
