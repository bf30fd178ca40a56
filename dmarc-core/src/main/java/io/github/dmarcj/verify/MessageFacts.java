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

/**
 * What the facade itself reads from a message header: the Author Domain(s) for DMARC (RFC 9989
 * §5.3.1), the DKIM-Signature fields (to know whether DKIM has work, and to name signatures when
 * the verifier fails), and List-Id for override rules.
 */
final class MessageFacts {
  /** d=, s= and a= of one DKIM-Signature field, as far as they could be read. */
  record Signature(String domain, String selector, String algorithm) {}

  private final AuthorDomains author;
  private final List<Signature> signatures;
  private final Optional<String> listId;

  private MessageFacts(AuthorDomains author, List<Signature> signatures, Optional<String> listId) {
    this.author = author;
    this.signatures = signatures;
    this.listId = listId;
  }

  static MessageFacts of(byte[] message, MessageHeaderParser parser) {
    ParsedHeader header;
    try {
      header = parser.parse(message);
    } catch (RuntimeException e) { // the parser promises not to throw; stay safe if it does
      return new MessageFacts(
          new AuthorDomains(
              io.github.dmarcj.message.FromStatus.UNPARSEABLE, List.of(), List.of(), "header not readable"),
          List.of(),
          Optional.empty());
    }
    List<HeaderField> sigFields = header.fields("DKIM-Signature");
    List<Signature> sigs = new ArrayList<>(sigFields.size());
    for (HeaderField f : sigFields) {
      sigs.add(signature(f.value()));
    }
    Optional<String> listId = header.first("List-Id").map(f -> f.value().strip());
    return new MessageFacts(AuthorDomains.of(header), List.copyOf(sigs), listId);
  }

  int signatureCount() {
    return signatures.size();
  }

  List<Signature> signatures() {
    return signatures;
  }

  AuthorDomains author() {
    return author;
  }

  DmarcInput dmarcInput(SmtpEnvelope envelope, SpfOutcome spf, List<DkimOutcome> dkim) {
    DmarcInput input = DmarcInput.of(author, spf, dkim).withClientIp(envelope.clientIp());
    return listId.isPresent() ? input.withListId(listId.get()) : input;
  }

  /** Reads d=, s= and a= from a DKIM-Signature value, tolerating anything. */
  private static Signature signature(String value) {
    String d = "";
    String s = "";
    String a = "";
    for (String tag : value.split(";")) {
      int eq = tag.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = tag.substring(0, eq).strip();
      String v = tag.substring(eq + 1).replaceAll("[ \\t\\r\\n]", "");
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
}
