// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

import io.github.dmarcj.dmarc.DmarcInput;
import io.github.dmarcj.message.AuthorDomains;
import io.github.dmarcj.message.HeaderField;
import io.github.dmarcj.message.MessageHeaderParser;
import io.github.dmarcj.message.ParsedHeader;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.SpfOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the facade itself reads from a message header: the Author Domain(s) for DMARC (RFC 9989
 * §5.3.1), the DKIM-Signature fields (to know whether DKIM has work, and to name signatures when
 * the verifier fails), and List-Id for override rules.
 */
final class MessageFacts {
  /** d=, s= and a= of one DKIM-Signature field, as far as they could be read. */
  record Signature(String domain, String selector, String algorithm) {}

  private final AuthorDomains author;

  /**
   * The DKIM-Signature field values; read into {@link Signature}s only when a fallback needs them.
   */
  private final List<String> signatureValues;

  private final Optional<String> listId;

  /** How many ARC fields (ARC-Seal, ARC-Message-Signature, ARC-Authentication-Results) it has. */
  private final int arcFieldCount;

  /** A header limit cut the header (the From fields past the cut are still in {@link #author}). */
  private final boolean headerTruncated;

  /** The parsed header, kept for a failure report's copy of it; null if it was unreadable. */
  private final @Nullable ParsedHeader header;

  private MessageFacts(
      AuthorDomains author,
      List<String> signatureValues,
      Optional<String> listId,
      int arcFieldCount,
      boolean headerTruncated,
      @Nullable ParsedHeader header) {
    this.author = author;
    this.signatureValues = signatureValues;
    this.listId = listId;
    this.arcFieldCount = arcFieldCount;
    this.headerTruncated = headerTruncated;
    this.header = header;
  }

  static MessageFacts of(byte[] message, MessageHeaderParser parser) {
    ParsedHeader header;
    try {
      header = parser.parse(message);
    } catch (RuntimeException e) { // the parser promises not to throw; stay safe if it does
      return unreadable();
    }
    return of(header);
  }

  /** Facts of a header that could not be read at all: no From, and flagged like a cut header. */
  static MessageFacts unreadable() {
    return new MessageFacts(
        new AuthorDomains(
            io.github.dmarcj.message.FromStatus.UNPARSEABLE,
            List.of(),
            List.of(),
            "header not readable"),
        List.of(),
        Optional.empty(),
        0,
        true,
        null);
  }

  static MessageFacts of(ParsedHeader header) {
    List<HeaderField> sigFields = header.fields("DKIM-Signature");
    List<String> values = new ArrayList<>(sigFields.size());
    for (HeaderField f : sigFields) {
      values.add(f.value());
    }
    Optional<String> listId = header.first("List-Id").map(f -> f.value().strip());
    int arc = 0;
    for (HeaderField f : header.fields()) {
      if (f.hasName("ARC-Seal")
          || f.hasName("ARC-Message-Signature")
          || f.hasName("ARC-Authentication-Results")) {
        arc++;
      }
    }
    return new MessageFacts(
        AuthorDomains.of(header), values, listId, arc, header.isTruncated(), header);
  }

  /**
   * {@return the header section as read: every field's bytes in order (up to a limit's cut), empty
   * if the header was unreadable}
   */
  byte[] headerBytes() {
    if (header == null) {
      return new byte[0];
    }
    int n = 0;
    for (HeaderField f : header.fields()) {
      n += f.rawLength();
    }
    byte[] out = new byte[n];
    int at = 0;
    for (HeaderField f : header.fields()) {
      f.rawBuffer().get(out, at, f.rawLength());
      at += f.rawLength();
    }
    return out;
  }

  /** {@return how many ARC fields the header has; 0 means ARC has no work} */
  int arcFieldCount() {
    return arcFieldCount;
  }

  int signatureCount() {
    return signatureValues.size();
  }

  /** d=, s= and a= of each DKIM-Signature field, in header order. */
  List<Signature> signatures() {
    List<Signature> out = new ArrayList<>(signatureValues.size());
    for (String v : signatureValues) {
      out.add(signature(v));
    }
    return List.copyOf(out);
  }

  AuthorDomains author() {
    return author;
  }

  boolean headerTruncated() {
    return headerTruncated;
  }

  DmarcInput dmarcInput(SmtpEnvelope envelope, SpfOutcome spf, List<DkimOutcome> dkim) {
    DmarcInput input = DmarcInput.of(author, spf, dkim).withClientIp(envelope.clientIp());
    if (headerTruncated) {
      input = input.withHeaderLimitExceeded();
    }
    return listId.isPresent() ? input.withListId(listId.get()) : input;
  }

  /** Reads d=, s= and a= from a DKIM-Signature value, tolerating anything. */
  static Signature signature(String value) {
    String d = "";
    String s = "";
    String a = "";
    int start = 0;
    while (start <= value.length()) {
      int semi = value.indexOf(';', start);
      int end = semi < 0 ? value.length() : semi;
      int eq = value.indexOf('=', start);
      String name = eq < 0 || eq > end ? null : value.substring(start, eq).strip();
      start = end + 1;
      if (name == null) {
        continue;
      }
      String v = withoutWhitespace(value, eq + 1, end);
      switch (name) {
        case "d":
          d = v.toLowerCase(Locale.ROOT);
          break;
        case "s":
          s = v;
          break;
        case "a":
          a = v;
          break;
        default:
          break;
      }
    }
    return new Signature(d, s, a);
  }

  private static String withoutWhitespace(String value, int from, int to) {
    StringBuilder b = new StringBuilder(to - from);
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        b.append(c);
      }
    }
    return b.toString();
  }
}
