// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.ingest;

import io.github.dmarcj.report.ingest.ImportException.Reason;
import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MailDateFormat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an ARF report ({@code multipart/report; report-type=feedback-report}, RFC 5965 §2) into a
 * {@link ReceivedFailureReport}: the fields of its {@code message/feedback-report} part (RFC 5965
 * §3, RFC 6591 §3, RFC 9991 §4) and the header of the original from its third part. Only {@code
 * Feedback-Type: auth-failure} is taken; other feedback (abuse, fraud) is refused as not a DMARC
 * report. Each part is read up to a bound, so a report cannot make the importer hold more.
 */
final class FeedbackReportReader {
  /** The most bytes of a {@code message/feedback-report} part. */
  static final int MAX_FIELDS_BYTES = 65_536;

  private FeedbackReportReader() {}

  /** True if {@code part} is an ARF report: {@code multipart/report} of type feedback-report. */
  static boolean isFeedbackReport(Part part) throws MessagingException {
    if (!part.isMimeType("multipart/report")) {
      return false;
    }
    try {
      String type = new ContentType(part.getContentType()).getParameter("report-type");
      return type != null && type.trim().equalsIgnoreCase("feedback-report");
    } catch (jakarta.mail.internet.ParseException e) {
      return false;
    }
  }

  /**
   * Reads one report.
   *
   * @param report the {@code multipart/report} part
   * @param reporter the report mail's From address, if known
   * @param messageId the report mail's Message-ID, if it has one
   */
  static ReceivedFailureReport read(
      Part report, Optional<String> reporter, Optional<String> messageId)
      throws ImportException, MessagingException, IOException {
    if (!(report.getContent() instanceof Multipart mp)) {
      throw new ImportException(Reason.INVALID_REPORT, "a multipart/report without parts");
    }
    byte[] fields = null;
    byte[] original = new byte[0];
    for (int i = 0; i < mp.getCount(); i++) {
      BodyPart b = mp.getBodyPart(i);
      if (fields == null && b.isMimeType("message/feedback-report")) {
        fields = readUpTo(b, MAX_FIELDS_BYTES);
        if (fields.length > MAX_FIELDS_BYTES) {
          throw new ImportException(
              Reason.TEXT_TOO_LONG,
              "a feedback-report part of more than " + MAX_FIELDS_BYTES + " bytes");
        }
      } else if (b.isMimeType("text/rfc822-headers") || b.isMimeType("message/rfc822")) {
        original = headerOf(readUpTo(b, ReceivedFailureStore.HEADERS_LENGTH));
      }
    }
    if (fields == null) {
      throw new ImportException(Reason.INVALID_REPORT, "no message/feedback-report part");
    }
    Map<String, List<String>> f = fields(fields);
    String type = first(f, "feedback-type").map(s -> s.toLowerCase(Locale.ROOT)).orElse(null);
    if (type == null) {
      throw new ImportException(Reason.INVALID_REPORT, "no Feedback-Type field");
    }
    if (!type.equals("auth-failure")) {
      throw new ImportException(
          Reason.NOT_A_REPORT,
          "Feedback-Type: "
              + ReceivedReportParser.abbreviate(type)
              + " is not an authentication failure report");
    }
    String originalText = new String(original, StandardCharsets.UTF_8);
    return new ReceivedFailureReport(
        key(messageId, reporter, fields, original),
        reporter.map(s -> cut(s, ReceivedReportStore.NAME_LENGTH)),
        type,
        first(f, "auth-failure").map(s -> cut(s.toLowerCase(Locale.ROOT), 32)),
        first(f, "arrival-date")
            .or(() -> first(f, "received-date"))
            .flatMap(FeedbackReportReader::date),
        first(f, "source-ip").map(FeedbackReportReader::withoutComment).map(s -> cut(s, 64)),
        first(f, "original-mail-from").map(FeedbackReportReader::unbracket),
        all(f, "original-rcpt-to").stream().map(FeedbackReportReader::unbracket).toList(),
        all(f, "reported-domain").stream()
            .map(s -> cut(s.toLowerCase(Locale.ROOT), ReceivedReportStore.DOMAIN_LENGTH))
            .toList(),
        first(f, "identity-alignment").map(s -> cut(s.toLowerCase(Locale.ROOT), 64)),
        first(f, "delivery-result").map(s -> cut(s.toLowerCase(Locale.ROOT), 32)),
        first(f, "dkim-domain").map(s -> cut(s.toLowerCase(Locale.ROOT), 255)),
        first(f, "dkim-selector").map(s -> cut(s, 255)),
        first(f, "dkim-identity").map(s -> cut(s, 1000)),
        first(f, "spf-dns").map(s -> cut(s, 4000)),
        first(f, "incidents").map(FeedbackReportReader::incidents).orElse(1L),
        all(f, "authentication-results").stream().map(s -> cut(s, 8000)).toList(),
        first(f, "user-agent").map(s -> cut(s, 255)),
        first(f, "original-envelope-id").map(s -> cut(s, 255)),
        originalText);
  }

  /** The decoded content of {@code p}, at most {@code max + 1} bytes (one more tells "longer"). */
  private static byte[] readUpTo(Part p, int max) throws MessagingException, IOException {
    try (InputStream in = p.getInputStream()) {
      return in.readNBytes(max + 1);
    }
  }

  /** The header of an original: up to its empty line, cut after the last whole line in bounds. */
  private static byte[] headerOf(byte[] b) {
    int end = b.length;
    for (int i = 0; i + 1 < b.length; i++) {
      if (b[i] == '\n'
          && (b[i + 1] == '\n' || (b[i + 1] == '\r' && i + 2 < b.length && b[i + 2] == '\n'))) {
        end = i + 1;
        break;
      }
    }
    int max = ReceivedFailureStore.HEADERS_LENGTH;
    if (end > max) {
      end = max;
      while (end > 0 && b[end - 1] != '\n') {
        end--;
      }
    }
    return java.util.Arrays.copyOf(b, end);
  }

  /** The fields, by lower-case name, values unfolded and trimmed, in order. */
  private static Map<String, List<String>> fields(byte[] bytes) throws MessagingException {
    InternetHeaders h = new InternetHeaders(new ByteArrayInputStream(bytes), true);
    Map<String, List<String>> out = new LinkedHashMap<>();
    Enumeration<Header> e = h.getAllHeaders();
    while (e.hasMoreElements()) {
      Header x = e.nextElement();
      String value = x.getValue() == null ? "" : x.getValue().replace("\r", "").replace("\n", "");
      out.computeIfAbsent(x.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(value.strip());
    }
    return out;
  }

  private static Optional<String> first(Map<String, List<String>> f, String name) {
    List<String> v = f.get(name);
    return v == null || v.isEmpty() || v.get(0).isEmpty()
        ? Optional.empty()
        : Optional.of(v.get(0));
  }

  private static List<String> all(Map<String, List<String>> f, String name) {
    List<String> v = f.getOrDefault(name, List.of());
    List<String> out = new ArrayList<>();
    for (String s : v) {
      if (!s.isEmpty() && out.size() < 100) {
        out.add(s);
      }
    }
    return out;
  }

  private static Optional<Instant> date(String s) {
    try {
      Date d = new MailDateFormat().parse(s);
      return d == null ? Optional.empty() : Optional.of(d.toInstant());
    } catch (ParseException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** An address field without a comment after it ({@code 192.0.2.1 (mail.example)}). */
  private static String withoutComment(String s) {
    int paren = s.indexOf('(');
    return (paren > 0 ? s.substring(0, paren) : s).strip();
  }

  private static String unbracket(String s) {
    String t = s.strip();
    if (t.length() >= 2 && t.startsWith("<") && t.endsWith(">")) {
      t = t.substring(1, t.length() - 1);
    }
    return cut(t, ReceivedReportStore.NAME_LENGTH);
  }

  private static long incidents(String s) {
    String t = s.strip();
    if (t.isEmpty() || t.length() > 18 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return 1;
    }
    return Math.max(1, Long.parseLong(t));
  }

  static String cut(String s, int max) {
    String t = s.indexOf('\0') >= 0 ? s.replace("\0", "") : s;
    if (t.length() <= max) {
      return t;
    }
    int end = Character.isHighSurrogate(t.charAt(max - 1)) ? max - 1 : max;
    return t.substring(0, end);
  }

  private static String key(
      Optional<String> messageId, Optional<String> reporter, byte[] fields, byte[] original) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      if (messageId.isPresent()) {
        d.update("message-id\0".getBytes(StandardCharsets.US_ASCII));
        d.update(messageId.get().strip().getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
        d.update(reporter.orElse("").toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
      } else {
        d.update("content\0".getBytes(StandardCharsets.US_ASCII));
        d.update(fields);
        d.update((byte) 0);
        d.update(original);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  /** {@return the first From address of a mail part, if it has one that parses} */
  static Optional<String> from(Part part) {
    try {
      String[] v = part.getHeader("From");
      if (v == null || v.length == 0) {
        return Optional.empty();
      }
      jakarta.mail.internet.InternetAddress[] a =
          jakarta.mail.internet.InternetAddress.parseHeader(v[0], false);
      return a.length == 0 || a[0].getAddress() == null
          ? Optional.empty()
          : Optional.of(a[0].getAddress());
    } catch (MessagingException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** {@return the Message-ID of a mail part, if it has one} */
  static Optional<String> messageId(Part part) {
    try {
      String[] v = part.getHeader("Message-ID");
      return v == null || v.length == 0 || v[0].isBlank()
          ? Optional.empty()
          : Optional.of(cut(v[0].strip(), 1000));
    } catch (MessagingException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
