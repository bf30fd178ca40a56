// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.ingest;

import io.github.dmarcj.report.ingest.ImportException.Reason;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.jspecify.annotations.Nullable;

/**
 * Reads one aggregate report document as a stream (StAX): the head first, then the rows one by one,
 * never the whole document in memory. DTDs are refused, so neither entity expansion nor external
 * entities can happen; depth, element count and text length stay within {@link ImportLimits}.
 *
 * <p>Lenient as reporters need (RFC 9990 §5): no namespace, RFC 7489's or RFC 9990's; unknown
 * elements and extensions are skipped; the {@code feedback} element may sit inside a stray wrapper
 * and reading stops at its end. Result words are lower-cased.
 *
 * @since 0.1.0
 *     <p>(Over 500 lines on purpose: one streaming pass over both report schemas, with the depth,
 *     element and text limits checked at each event.)
 */
public final class ReceivedReportParser {
  /** RFC 7489's namespace. */
  public static final String NS_7489 = "http://dmarc.org/dmarc-xml/0.1";

  /** RFC 9990's namespace. */
  public static final String NS_9990 = "urn:ietf:params:xml:ns:dmarc-2.0";

  private static final Set<String> NAMESPACES = Set.of("", NS_7489, NS_9990);

  /** What receives a parsed report. */
  public interface Handler {
    /**
     * The head of the report, before any row.
     *
     * @param report the head
     * @return whether to read the rows (false stops reading: the report is known already)
     * @throws ImportException to refuse the report
     * @throws java.sql.SQLException if storing fails
     */
    boolean report(ReceivedReport report) throws ImportException, java.sql.SQLException;

    /**
     * One row.
     *
     * @param row the row
     * @throws ImportException to refuse the report
     * @throws java.sql.SQLException if storing fails
     */
    void row(ReceivedRow row) throws ImportException, java.sql.SQLException;

    /**
     * The end of the document, after every row.
     *
     * @throws ImportException to refuse the report
     * @throws java.sql.SQLException if storing fails
     */
    void end() throws ImportException, java.sql.SQLException;
  }

  private final ImportLimits limits;
  private final XMLInputFactory factory;

  /**
   * @param limits the bounds for depth, element count and text length
   */
  public ReceivedReportParser(ImportLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
  }

  /**
   * Parses one document.
   *
   * @param in the XML bytes (not closed)
   * @param handler receives the head and the rows
   * @throws ImportException if the document is refused
   * @throws java.sql.SQLException if the handler fails to store
   */
  public void parse(InputStream in, Handler handler) throws ImportException, java.sql.SQLException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(handler, "handler");
    BufferedInputStream buffered = new BufferedInputStream(in, 8192);
    XMLStreamReader r;
    try {
      r = open(buffered);
    } catch (LimitedInputStream.LimitException e) {
      throw e.toImportException();
    } catch (IOException e) {
      throw new ImportException(Reason.UNREADABLE, "cannot read: " + e.getMessage(), e);
    } catch (XMLStreamException e) {
      throw new ImportException(Reason.MALFORMED_XML, "not XML: " + e.getMessage(), e);
    }
    try {
      new Run(r, handler).run();
    } catch (XMLStreamException e) {
      LimitedInputStream.LimitException l = LimitedInputStream.limitIn(e);
      if (l != null) {
        throw l.toImportException();
      }
      if (e.getNestedException() instanceof IOException io) {
        throw new ImportException(Reason.UNREADABLE, "cannot read: " + io.getMessage(), io);
      }
      throw new ImportException(Reason.MALFORMED_XML, "not well-formed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // The JDK's StAX reader reports some malformed input with unchecked exceptions.
      LimitedInputStream.LimitException l = LimitedInputStream.limitIn(e);
      if (l != null) {
        throw l.toImportException();
      }
      throw new ImportException(Reason.MALFORMED_XML, "not well-formed: " + e, e);
    } finally {
      try {
        r.close();
      } catch (XMLStreamException e) {
        // nothing left to read
      }
    }
  }

  /**
   * A reader for the document: UTF-8 (declared or by default) is decoded here, replacing malformed
   * bytes as many reporters send them; other encodings are left to the XML reader.
   */
  private XMLStreamReader open(BufferedInputStream in) throws IOException, XMLStreamException {
    in.mark(512);
    byte[] head = in.readNBytes(512);
    in.reset();
    String start = new String(head, StandardCharsets.ISO_8859_1);
    boolean utf8 = true;
    if (head.length >= 2
        && ((head[0] == (byte) 0xFE && head[1] == (byte) 0xFF)
            || (head[0] == (byte) 0xFF && head[1] == (byte) 0xFE)
            || head[0] == 0
            || head[1] == 0)) {
      utf8 = false;
    } else if (start.startsWith("<?xml")) {
      int close = start.indexOf("?>");
      String decl = close < 0 ? start : start.substring(0, close);
      int enc = decl.indexOf("encoding");
      if (enc >= 0) {
        String rest = decl.substring(enc + 8).replaceAll("^[\\s=\"']+", "");
        String name = rest.replaceAll("[\"'\\s].*$", "").toLowerCase(Locale.ROOT);
        utf8 = name.equals("utf-8") || name.equals("utf8");
      }
    }
    if (utf8) {
      return factory.createXMLStreamReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
    return factory.createXMLStreamReader(in);
  }

  /** The state of one parse. */
  private final class Run {
    private final XMLStreamReader r;
    private final Handler handler;

    /** How deep the current element is (the document element is 1). */
    private int depth;

    /** The path below {@code feedback}, as {@code record/row/count}; built as elements open. */
    private final StringBuilder rel = new StringBuilder(64);

    /** The length of {@link #rel} before each open element below {@code feedback}, by depth. */
    private int[] relLength = new int[16];

    /** True from an element's start until a child starts: at its end, it was a leaf. */
    private boolean leafOpen;

    private final StringBuilder text = new StringBuilder();
    private long elements;
    private int feedbackDepth = -1;
    private @Nullable String namespace;
    private boolean headSent;
    private boolean skipRows;

    // head
    private @Nullable String orgName;
    private @Nullable String email;
    private @Nullable String extraContact;
    private @Nullable String reportId;
    private @Nullable String begin;
    private @Nullable String end;
    private final List<String> errors = new ArrayList<>();
    private @Nullable String version;
    private @Nullable String generator;
    private @Nullable String domain;
    private @Nullable String adkim;
    private @Nullable String aspf;
    private @Nullable String p;
    private @Nullable String sp;
    private @Nullable String np;
    private @Nullable String pct;
    private @Nullable String fo;
    private @Nullable String testing;
    private @Nullable String discovery;

    // the current row
    private @Nullable RowBuilder row;

    Run(XMLStreamReader r, Handler handler) {
      this.r = r;
      this.handler = handler;
    }

    void run() throws XMLStreamException, ImportException, java.sql.SQLException {
      while (r.hasNext()) {
        int event = r.next();
        switch (event) {
          case XMLStreamConstants.DTD ->
              throw new ImportException(Reason.DTD_FORBIDDEN, "the document has a DTD");
          case XMLStreamConstants.ENTITY_REFERENCE ->
              throw new ImportException(
                  Reason.DTD_FORBIDDEN, "the document refers to entity " + r.getLocalName());
          case XMLStreamConstants.START_ELEMENT -> start();
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
            if (text.length() + r.getTextLength() > limits.maxTextLength()) {
              throw new ImportException(
                  Reason.TEXT_TOO_LONG,
                  "an element's text is longer than " + limits.maxTextLength() + " characters");
            }
            text.append(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
          }
          case XMLStreamConstants.END_ELEMENT -> {
            if (endElement()) {
              return;
            }
          }
          default -> {
            // comments, processing instructions, white space: nothing to keep
          }
        }
      }
      if (feedbackDepth < 0 || !headSent) {
        throw new ImportException(Reason.NOT_A_REPORT, "no feedback element");
      }
    }

    private void start() throws ImportException {
      elements++;
      if (elements > limits.maxElements()) {
        throw new ImportException(
            Reason.TOO_MANY_ELEMENTS, "more than " + limits.maxElements() + " elements");
      }
      if (depth >= limits.maxDepth()) {
        throw new ImportException(
            Reason.TOO_DEEP, "elements nested deeper than " + limits.maxDepth());
      }
      String name = r.getLocalName();
      depth++;
      text.setLength(0);
      leafOpen = true;
      if (feedbackDepth < 0) {
        if (name.equals("feedback")) {
          String ns = r.getNamespaceURI();
          namespace = ns == null ? "" : ns;
          if (!NAMESPACES.contains(namespace)) {
            throw new ImportException(
                Reason.WRONG_NAMESPACE, "feedback in the namespace " + namespace);
          }
          feedbackDepth = depth;
        }
        return;
      }
      if (depth >= relLength.length) {
        relLength = java.util.Arrays.copyOf(relLength, relLength.length * 2);
      }
      relLength[depth] = rel.length();
      if (rel.length() > 0) {
        rel.append('/');
      }
      rel.append(name);
      // only four elements open something: compare before making a string
      switch (name) {
        case "record" -> {
          if (is("record")) {
            row = new RowBuilder();
          }
        }
        case "reason" -> {
          if (row != null && is("record/row/policy_evaluated/reason")) {
            row.reasons.add(new String[2]);
          }
        }
        case "dkim" -> {
          if (row != null && is("record/auth_results/dkim")) {
            row.dkim.add(new String[4]);
          }
        }
        case "spf" -> {
          if (row != null && is("record/auth_results/spf")) {
            row.spf.add(new String[4]);
          }
        }
        default -> {
          // a leaf or an element of no interest
        }
      }
    }

    private boolean is(String path) {
      return path.contentEquals(rel);
    }

    /** Handles an end tag; true when the feedback element ended. */
    private boolean endElement() throws ImportException, java.sql.SQLException {
      boolean leaf = leafOpen;
      leafOpen = false;
      if (feedbackDepth < 0) {
        depth--;
        text.setLength(0);
        return false;
      }
      if (depth == feedbackDepth) {
        sendHead();
        if (!skipRows) {
          handler.end();
        }
        return true;
      }
      boolean inRecord = startsWithRecord();
      if (inRecord && rel.length() == 6) {
        close();
        RowBuilder b = row;
        if (b != null) {
          row = null;
          sendHead();
          if (!skipRows) {
            handler.row(b.build());
          }
        }
        return false;
      }
      if (!leaf) {
        close(); // a container: its leaves did the work
        return false;
      }
      String path = rel.toString();
      String value = text.toString().strip();
      close();
      if (inRecord) {
        RowBuilder b = row;
        if (b != null) {
          b.set(path, value);
        }
        return false;
      }
      switch (path) {
        case "version" -> version = value;
        case "report_metadata/org_name" -> orgName = value;
        case "report_metadata/email" -> email = value;
        case "report_metadata/extra_contact_info" -> extraContact = value;
        case "report_metadata/report_id" -> reportId = value;
        case "report_metadata/date_range/begin" -> begin = value;
        case "report_metadata/date_range/end" -> end = value;
        case "report_metadata/error" -> errors.add(value);
        case "report_metadata/generator" -> generator = value;
        case "policy_published/domain" -> domain = value;
        case "policy_published/adkim" -> adkim = word(value);
        case "policy_published/aspf" -> aspf = word(value);
        case "policy_published/p" -> p = word(value);
        case "policy_published/sp" -> sp = word(value);
        case "policy_published/np" -> np = word(value);
        case "policy_published/pct" -> pct = value;
        case "policy_published/fo" -> fo = value;
        case "policy_published/testing" -> testing = word(value);
        case "policy_published/discovery_method" -> discovery = word(value);
        default -> {
          // unknown elements and extensions
        }
      }
      return false;
    }

    private boolean startsWithRecord() {
      if (rel.length() < 6) {
        return false;
      }
      for (int i = 0; i < 6; i++) {
        if (rel.charAt(i) != "record".charAt(i)) {
          return false;
        }
      }
      return true;
    }

    /** Ends the current element below {@code feedback}. */
    private void close() {
      rel.setLength(relLength[depth]);
      depth--;
      text.setLength(0);
    }

    private void sendHead() throws ImportException, java.sql.SQLException {
      if (headSent) {
        return;
      }
      headSent = true;
      String id = reportId;
      if (id == null || id.isEmpty()) {
        throw new ImportException(Reason.INVALID_REPORT, "no report_metadata/report_id");
      }
      String d = domain;
      if (d == null || d.isEmpty()) {
        throw new ImportException(Reason.INVALID_REPORT, "no policy_published/domain");
      }
      ReceivedReport head =
          new ReceivedReport(
              orgName == null ? "" : orgName,
              email == null ? "" : email,
              emptyToNull(extraContact),
              id,
              number("report_metadata/date_range/begin", begin),
              number("report_metadata/date_range/end", end),
              errors,
              emptyToNull(version),
              emptyToNull(generator),
              namespace == null ? "" : namespace,
              new ReceivedReport.PolicyPublished(
                  d,
                  emptyToNull(adkim),
                  emptyToNull(aspf),
                  emptyToNull(p),
                  emptyToNull(sp),
                  emptyToNull(np),
                  pct == null || pct.isEmpty() ? null : (int) range("pct", pct, 0, 100),
                  emptyToNull(fo),
                  emptyToNull(testing),
                  emptyToNull(discovery)));
      skipRows = !handler.report(head);
    }
  }

  /** The fields of one record as they arrive. */
  private static final class RowBuilder {
    @Nullable String sourceIp;
    @Nullable String count;
    @Nullable String disposition;
    @Nullable String dkimVerdict;
    @Nullable String spfVerdict;
    @Nullable String headerFrom;
    @Nullable String envelopeFrom;
    @Nullable String envelopeTo;
    final List<@Nullable String[]> reasons = new ArrayList<>();
    final List<@Nullable String[]> dkim = new ArrayList<>();
    final List<@Nullable String[]> spf = new ArrayList<>();

    void set(String rel, String value) {
      switch (rel) {
        case "record/row/source_ip" -> sourceIp = value;
        case "record/row/count" -> count = value;
        case "record/row/policy_evaluated/disposition" -> disposition = word(value);
        case "record/row/policy_evaluated/dkim" -> dkimVerdict = word(value);
        case "record/row/policy_evaluated/spf" -> spfVerdict = word(value);
        case "record/row/policy_evaluated/reason/type" -> last(reasons)[0] = word(value);
        case "record/row/policy_evaluated/reason/comment" -> last(reasons)[1] = value;
        case "record/identifiers/header_from" -> headerFrom = value;
        case "record/identifiers/envelope_from" -> envelopeFrom = value;
        case "record/identifiers/envelope_to" -> envelopeTo = value;
        case "record/auth_results/dkim/domain" -> last(dkim)[0] = value;
        case "record/auth_results/dkim/selector" -> last(dkim)[1] = value;
        case "record/auth_results/dkim/result" -> last(dkim)[2] = word(value);
        case "record/auth_results/dkim/human_result" -> last(dkim)[3] = value;
        case "record/auth_results/spf/domain" -> last(spf)[0] = value;
        case "record/auth_results/spf/scope" -> last(spf)[1] = word(value);
        case "record/auth_results/spf/result" -> last(spf)[2] = word(value);
        case "record/auth_results/spf/human_result" -> last(spf)[3] = value;
        default -> {
          // unknown elements and extensions
        }
      }
    }

    private static @Nullable String[] last(List<@Nullable String[]> list) {
      return list.get(list.size() - 1);
    }

    ReceivedRow build() throws ImportException {
      String ip = sourceIp;
      if (ip == null || ip.isEmpty()) {
        throw new ImportException(Reason.INVALID_REPORT, "a record without row/source_ip");
      }
      List<ReceivedRow.Reason> rs = new ArrayList<>();
      for (@Nullable String[] a : reasons) {
        rs.add(new ReceivedRow.Reason(emptyToNull(a[0]), emptyToNull(a[1])));
      }
      List<ReceivedRow.DkimResult> ds = new ArrayList<>();
      for (@Nullable String[] a : dkim) {
        ds.add(
            new ReceivedRow.DkimResult(
                emptyToNull(a[0]), emptyToNull(a[1]), emptyToNull(a[2]), emptyToNull(a[3])));
      }
      List<ReceivedRow.SpfResult> ss = new ArrayList<>();
      for (@Nullable String[] a : spf) {
        ss.add(
            new ReceivedRow.SpfResult(
                emptyToNull(a[0]), emptyToNull(a[1]), emptyToNull(a[2]), emptyToNull(a[3])));
      }
      return new ReceivedRow(
          ip,
          number("record/row/count", count),
          emptyToNull(disposition),
          emptyToNull(dkimVerdict),
          emptyToNull(spfVerdict),
          rs,
          emptyToNull(headerFrom),
          emptyToNull(envelopeFrom),
          emptyToNull(envelopeTo),
          ds,
          ss);
    }
  }

  private static String word(String value) {
    return value.toLowerCase(Locale.ROOT);
  }

  private static @Nullable String emptyToNull(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static long number(String field, @Nullable String value) throws ImportException {
    if (value == null || value.isEmpty()) {
      throw new ImportException(Reason.INVALID_REPORT, "no " + field);
    }
    return range(field, value, 0, Long.MAX_VALUE);
  }

  private static long range(String field, String value, long min, long max) throws ImportException {
    long n;
    try {
      n = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new ImportException(
          Reason.INVALID_REPORT, field + " is not a number: " + abbreviate(value), e);
    }
    if (n < min || n > max) {
      throw new ImportException(
          Reason.INVALID_REPORT, field + " is out of range: " + abbreviate(value));
    }
    return n;
  }

  static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
