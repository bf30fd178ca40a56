// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dmarc.OverrideReason;
import io.github.dmarcj.result.SpfScope;
import io.github.dmarcj.verify.ReportRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes an {@link AggregateReport} as a {@code feedback} document: RFC 9990 §3.1.1 and Appendix A
 * by default, or RFC 7489 Appendix C, with the elements in schema order, UTF-8, indented. Uses the
 * JDK's {@link XMLStreamWriter}.
 *
 * <p>Text that came from a sender (DKIM selectors, domains, override comments) may hold characters
 * XML 1.0 cannot carry; they are replaced with U+FFFD so the document always parses.
 *
 * <p>Mapping between the formats: RFC 9990 has no {@code forwarded} or {@code sampled_out} reason,
 * so they are written as {@code other} with the keyword in the comment; RFC 7489 has no {@code
 * policy_test_mode}, written the same way. RFC 9990 allows only the {@code mfrom} SPF scope, so a
 * HELO result is written without {@code scope}. RFC 9990 writes disposition {@code pass} for
 * messages that passed DMARC under an enforcing policy (XSD {@code ActionDispositionType}).
 *
 * @since 0.1.0
 */
public final class AggregateReportWriter {
  /** The RFC 9990 namespace. */
  public static final String NAMESPACE_RFC9990 = "urn:ietf:params:xml:ns:dmarc-2.0";

  private AggregateReportWriter() {}

  /**
   * Writes the report as XML to {@code out}; does not close it.
   *
   * @param report the report
   * @param format the schema to follow
   * @param out the stream to write to
   * @throws IOException if writing to {@code out} fails
   */
  public static void write(AggregateReport report, ReportFormat format, OutputStream out)
      throws IOException {
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(format, "format");
    try {
      // The JDK's writer hands its UTF-8 encoder's output on one byte at a time; through a
      // buffer, a GZIPOutputStream (or a file or socket) gets it in blocks instead.
      Buffered buffered = new Buffered(out);
      XMLStreamWriter w =
          XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(buffered, "UTF-8");
      new Doc(w, format).feedback(report);
      w.flush();
      w.close();
      buffered.close();
    } catch (XMLStreamException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e);
    }
  }

  /**
   * The report as gzip-compressed XML (RFC 7489 §7.2.1.1, {@code application/gzip}); does not close
   * it.
   *
   * @param report the report
   * @param format the schema to follow
   * @param out the stream to write to
   * @throws IOException if writing to {@code out} fails
   */
  public static void writeGzip(AggregateReport report, ReportFormat format, OutputStream out)
      throws IOException {
    GZIPOutputStream gz = new GZIPOutputStream(new NonClosing(out), 8192);
    write(report, format, gz);
    gz.close();
  }

  /**
   * {@return the report as XML bytes}
   *
   * @param report the report
   * @param format the schema to follow
   */
  public static byte[] toXml(AggregateReport report, ReportFormat format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(report, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * {@return the report as gzip-compressed XML bytes}
   *
   * @param report the report
   * @param format the schema to follow
   */
  public static byte[] toGzip(AggregateReport report, ReportFormat format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writeGzip(report, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Replaces characters that XML 1.0 does not allow (§2.2 Char) with U+FFFD. */
  static String xmlSafe(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      boolean ok =
          cp == 0x9
              || cp == 0xA
              || cp == 0xD
              || (cp >= 0x20 && cp <= 0xD7FF)
              || (cp >= 0xE000 && cp <= 0xFFFD)
              || (cp >= 0x10000 && cp <= 0x10FFFF);
      if (!ok && sb == null) {
        sb = new StringBuilder(s.length()).append(s, 0, i);
      }
      if (sb != null) {
        if (ok) {
          sb.appendCodePoint(cp);
        } else {
          sb.append('\uFFFD');
        }
      }
      i += n;
    }
    return sb == null ? s : sb.toString();
  }

  /** A new line and the indentation of each depth the documents reach. */
  private static final String[] INDENTS = new String[8];

  static {
    for (int i = 0; i < INDENTS.length; i++) {
      INDENTS[i] = "\n" + "  ".repeat(i);
    }
  }

  private static final class Doc {
    private final XMLStreamWriter w;
    private final ReportFormat format;
    private final String ns;
    private int depth;

    Doc(XMLStreamWriter w, ReportFormat format) {
      this.w = w;
      this.format = format;
      this.ns = format == ReportFormat.RFC9990 ? NAMESPACE_RFC9990 : "";
    }

    private boolean v9990() {
      return format == ReportFormat.RFC9990;
    }

    void feedback(AggregateReport r) throws XMLStreamException {
      w.writeStartDocument("UTF-8", "1.0");
      w.writeCharacters("\n");
      if (v9990()) {
        w.setDefaultNamespace(ns);
        w.writeStartElement(ns, "feedback");
        w.writeDefaultNamespace(ns);
      } else {
        w.writeStartElement("feedback");
      }
      depth++;
      leaf("version", "1.0");
      metadata(r);
      policy(r.policy());
      for (AggregateReport.Row row : r.rows()) {
        record(row, r.policy());
      }
      end();
      w.writeCharacters("\n");
      w.writeEndDocument();
    }

    private void metadata(AggregateReport r) throws XMLStreamException {
      ReportMetadata m = r.metadata();
      start("report_metadata");
      leaf("org_name", m.orgName());
      leaf("email", m.email());
      optional("extra_contact_info", m.extraContactInfo());
      leaf("report_id", m.reportId());
      start("date_range");
      leaf("begin", Long.toString(r.begin().getEpochSecond()));
      leaf("end", Long.toString(r.end().getEpochSecond()));
      end();
      List<String> errors = r.policy().errors();
      if (v9990()) {
        // RFC 9990's schema allows one error element; RFC 7489's any number.
        if (!errors.isEmpty()) {
          leaf("error", String.join("; ", errors));
        }
        optional("generator", m.generator());
      } else {
        for (String e : errors) {
          leaf("error", e);
        }
      }
      end();
    }

    private void policy(ReportRecord.PublishedPolicy p) throws XMLStreamException {
      start("policy_published");
      leaf("domain", p.domain());
      if (v9990()) {
        leaf("discovery_method", p.discoveryMethod().keyword());
        leaf("p", p.p().keyword());
        optional("sp", p.sp().map(DmarcPolicy::keyword));
        optional("np", p.np().map(DmarcPolicy::keyword));
        String fo = RecordRows.foKeywords(p.fo());
        if (!fo.isEmpty()) {
          leaf("fo", fo);
        }
        leaf("adkim", p.adkim().keyword());
        leaf("aspf", p.aspf().keyword());
        leaf("testing", p.testing() ? "y" : "n");
      } else {
        leaf("adkim", p.adkim().keyword());
        leaf("aspf", p.aspf().keyword());
        leaf("p", p.p().keyword());
        leaf("sp", p.sp().orElse(p.p()).keyword());
        leaf("pct", Integer.toString(p.pct().orElse(100)));
        String fo = RecordRows.foKeywords(p.fo());
        leaf("fo", fo.isEmpty() ? "0" : fo);
      }
      end();
    }

    private void record(AggregateReport.Row row, ReportRecord.PublishedPolicy p)
        throws XMLStreamException {
      start("record");
      start("row");
      leaf("source_ip", row.sourceIp().getHostAddress());
      leaf("count", Long.toString(row.count()));
      start("policy_evaluated");
      leaf("disposition", disposition(row, p));
      leaf("dkim", row.dkimAligned().keyword());
      leaf("spf", row.spfAligned().keyword());
      for (ReportRecord.Override o : row.overrides()) {
        reason(o);
      }
      end();
      end();
      start("identifiers");
      leaf("header_from", row.headerFrom());
      leaf("envelope_from", row.envelopeFrom().orElse(""));
      optional("envelope_to", row.envelopeTo());
      end();
      start("auth_results");
      for (ReportRecord.DkimAuth d : row.dkim()) {
        start("dkim");
        leaf("domain", d.domain());
        leaf("selector", d.selector());
        leaf("result", d.result().keyword());
        end();
      }
      start("spf");
      leaf("domain", row.spf().domain());
      if (!v9990() || row.spf().scope() == SpfScope.MFROM) {
        leaf("scope", row.spf().scope().keyword());
      }
      leaf("result", row.spf().result().keyword());
      end();
      end();
      end();
    }

    private String disposition(AggregateReport.Row row, ReportRecord.PublishedPolicy p) {
      if (v9990() && row.dmarcPass() && row.disposition() == DmarcPolicy.NONE) {
        DmarcPolicy requested =
            row.headerFrom().equalsIgnoreCase(p.domain()) ? p.p() : p.sp().orElse(p.p());
        if (requested != DmarcPolicy.NONE) {
          return "pass";
        }
      }
      return row.disposition().keyword();
    }

    private void reason(ReportRecord.Override o) throws XMLStreamException {
      OverrideReason t = o.type();
      boolean native9990 = t != OverrideReason.FORWARDED && t != OverrideReason.SAMPLED_OUT;
      boolean native7489 = t != OverrideReason.POLICY_TEST_MODE;
      boolean nativeType = v9990() ? native9990 : native7489;
      String comment =
          nativeType
              ? o.comment()
              : o.comment().isEmpty() ? t.keyword() : t.keyword() + ": " + o.comment();
      start("reason");
      leaf("type", nativeType ? t.keyword() : OverrideReason.OTHER.keyword());
      if (!comment.isEmpty()) {
        leaf("comment", comment);
      }
      end();
    }

    private void element(String name) throws XMLStreamException {
      if (ns.isEmpty()) {
        w.writeStartElement(name);
      } else {
        w.writeStartElement(ns, name);
      }
    }

    private void indent() throws XMLStreamException {
      w.writeCharacters(depth < INDENTS.length ? INDENTS[depth] : "\n" + "  ".repeat(depth));
    }

    private void start(String name) throws XMLStreamException {
      indent();
      element(name);
      depth++;
    }

    private void end() throws XMLStreamException {
      depth--;
      indent();
      w.writeEndElement();
    }

    private void leaf(String name, String text) throws XMLStreamException {
      indent();
      element(name);
      w.writeCharacters(xmlSafe(text));
      w.writeEndElement();
    }

    private void optional(String name, Optional<String> text) throws XMLStreamException {
      if (text.isPresent()) {
        leaf(name, text.get());
      }
    }
  }

  /**
   * An unsynchronized buffer in front of the caller's stream: {@link java.io.BufferedOutputStream}
   * takes a lock for every byte. {@link #close} does not close the caller's stream.
   */
  private static final class Buffered extends OutputStream {
    private final OutputStream out;
    private final byte[] buf = new byte[8192];
    private int count;

    Buffered(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      if (count == buf.length) {
        drain();
      }
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len >= buf.length) {
        drain();
        out.write(b, off, len);
        return;
      }
      if (len > buf.length - count) {
        drain();
      }
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    private void drain() throws IOException {
      if (count > 0) {
        out.write(buf, 0, count);
        count = 0;
      }
    }

    @Override
    public void flush() throws IOException {
      drain();
      out.flush();
    }

    @Override
    public void close() throws IOException {
      drain();
    }
  }

  /** Keeps {@link GZIPOutputStream#close} from closing the caller's stream. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
