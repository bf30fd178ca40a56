// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.failure;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/** Reads a feedback report back with Jakarta Mail, as a report consumer would. */
final class Arf {
  private Arf() {}

  /** A report mail taken apart: the message, its three parts and the feedback fields. */
  static final class Parsed {
    final byte[] raw;
    final MimeMessage message;
    final MimeMultipart report;
    final List<BodyPart> parts = new ArrayList<>();
    final InternetHeaders fields;

    Parsed(byte[] raw) throws MessagingException, IOException {
      this.raw = raw;
      this.message =
          new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
      this.report = (MimeMultipart) message.getContent();
      for (int i = 0; i < report.getCount(); i++) {
        parts.add(report.getBodyPart(i));
      }
      this.fields = new InternetHeaders(new ByteArrayInputStream(decoded(parts.get(1))));
    }

    /** {@return the base type (lower case, no parameters) of part {@code i}} */
    String type(int i) throws MessagingException {
      return new ContentType(parts.get(i).getContentType()).getBaseType().toLowerCase();
    }

    /** {@return the values of feedback field {@code name}} */
    List<String> field(String name) {
      String[] v = fields.getHeader(name);
      List<String> out = new ArrayList<>();
      if (v != null) {
        for (String s : v) {
          out.add(unfold(s));
        }
      }
      return out;
    }

    /** {@return the one value of feedback field {@code name}} */
    String one(String name) {
      List<String> v = field(name);
      assertThat(v).as("values of %s", name).hasSize(1);
      return v.get(0);
    }

    /** {@return the feedback field names, in order} */
    List<String> fieldNames() {
      List<String> names = new ArrayList<>();
      for (Header h : Collections.list(fields.getAllHeaders())) {
        names.add(h.getName());
      }
      return names;
    }

    /** {@return the names of the report's own header fields, in order} */
    List<String> headerNames() throws MessagingException {
      List<String> names = new ArrayList<>();
      for (Header h : Collections.list(message.getAllHeaders())) {
        names.add(h.getName());
      }
      return names;
    }

    /** {@return part {@code i}'s content, transfer encoding undone} */
    byte[] content(int i) throws MessagingException, IOException {
      return decoded(parts.get(i));
    }

    /** {@return the text of part {@code i} as UTF-8} */
    String text(int i) throws MessagingException, IOException {
      return new String(content(i), StandardCharsets.UTF_8);
    }

    /**
     * {@return everything a consumer can read from the mail: the raw bytes, each part decoded, and
     * the decoded Subject, as one UTF-8 text (raw 8-bit bytes are read as UTF-8 and as ISO-8859-1)}
     */
    String everything() throws MessagingException, IOException {
      StringBuilder b = new StringBuilder();
      b.append(new String(raw, StandardCharsets.UTF_8)).append('\n');
      b.append(new String(raw, StandardCharsets.ISO_8859_1)).append('\n');
      for (int i = 0; i < parts.size(); i++) {
        b.append(new String(content(i), StandardCharsets.UTF_8)).append('\n');
      }
      b.append(MimeUtility.decodeText(message.getHeader("Subject", null))).append('\n');
      return b.toString();
    }
  }

  static Parsed parse(byte[] mail) {
    try {
      return new Parsed(mail);
    } catch (MessagingException e) {
      throw new AssertionError("the mail does not parse: " + e, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] decoded(BodyPart part) throws MessagingException, IOException {
    try (InputStream in = part.getInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }

  static String unfold(String s) {
    return s.replaceAll("\r?\n[ \t]+", " ").trim();
  }

  /** {@return a corpus file of {@code src/test/resources/arf/}} */
  static byte[] corpus(String name) {
    try (InputStream in = Arf.class.getResourceAsStream("/arf/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no corpus file " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
