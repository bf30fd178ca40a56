// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

import io.github.dmarcj.dmarc.DmarcInput;
import io.github.dmarcj.dmarc.FromStatus;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.SpfOutcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the facade itself reads from a message header: the From domains for DMARC (RFC 9989
 * §5.3.1), the DKIM-Signature fields (to know whether DKIM has work, and to name signatures when
 * the verifier fails), and List-Id for override rules. One pass over the header bytes, bounded
 * by {@link Limits#maxHeaderBytes()}.
 */
final class MessageFacts {
  /** Header-reading limits. */
  record Limits(int maxHeaderBytes) {
    static final int DEFAULT_MAX_HEADER_BYTES = 1 << 20;
  }

  /** d= and s= of one DKIM-Signature field, as far as they could be read. */
  record Signature(String domain, String selector, String algorithm) {}

  private final FromStatus fromStatus;
  private final List<String> fromDomains;
  private final List<Signature> signatures;
  private final Optional<String> listId;

  private MessageFacts(
      FromStatus fromStatus,
      List<String> fromDomains,
      List<Signature> signatures,
      Optional<String> listId) {
    this.fromStatus = fromStatus;
    this.fromDomains = fromDomains;
    this.signatures = signatures;
    this.listId = listId;
  }

  static MessageFacts of(byte[] m, Limits limits) {
    List<String> froms = new ArrayList<>(1);
    List<Signature> sigs = new ArrayList<>(2);
    String listId = null;
    int n = Math.min(m.length, limits.maxHeaderBytes());
    int pos = 0;
    while (pos < n) {
      if (m[pos] == '\n' || (m[pos] == '\r' && pos + 1 < n && m[pos + 1] == '\n')) {
        break;
      }
      int end = fieldEnd(m, pos, n);
      int colon = -1;
      for (int i = pos; i < end; i++) {
        if (m[i] == ':') {
          colon = i;
          break;
        }
        if (m[i] == '\n') {
          break;
        }
      }
      if (colon > pos) {
        int nameLen = colon - pos;
        while (nameLen > 0 && (m[pos + nameLen - 1] == ' ' || m[pos + nameLen - 1] == '\t')) {
          nameLen--;
        }
        if (nameIs(m, pos, nameLen, "from")) {
          froms.add(unfold(m, colon + 1, end));
        } else if (nameIs(m, pos, nameLen, "dkim-signature")) {
          sigs.add(signature(unfold(m, colon + 1, end)));
        } else if (nameIs(m, pos, nameLen, "list-id") && listId == null) {
          listId = unfold(m, colon + 1, end).strip();
        }
      }
      pos = end;
    }
    FromStatus status;
    List<String> domains = new ArrayList<>();
    if (froms.isEmpty()) {
      status = FromStatus.MISSING;
    } else if (froms.size() > 1) {
      status = FromStatus.MULTIPLE_FIELDS;
      for (String f : froms) {
        domains.addAll(FromAddresses.domains(f));
      }
    } else {
      List<String> ds = FromAddresses.domains(froms.get(0));
      if (ds.size() > 1) {
        status = FromStatus.MULTIPLE_ADDRESSES;
        domains.addAll(ds);
      } else if (ds.size() == 1 && DomainName.parse(ds.get(0)).isPresent()) {
        status = FromStatus.OK;
        domains.add(ds.get(0));
      } else {
        status = FromStatus.UNPARSEABLE;
      }
    }
    domains.removeIf(d -> DomainName.parse(d).isEmpty());
    return new MessageFacts(status, List.copyOf(domains), List.copyOf(sigs), Optional.ofNullable(listId));
  }

  int signatureCount() {
    return signatures.size();
  }

  List<Signature> signatures() {
    return signatures;
  }

  FromStatus fromStatus() {
    return fromStatus;
  }

  List<String> fromDomains() {
    return fromDomains;
  }

  DmarcInput dmarcInput(SmtpEnvelope envelope, SpfOutcome spf, List<DkimOutcome> dkim) {
    DmarcInput input =
        fromStatus == FromStatus.OK
            ? DmarcInput.of(fromDomains.get(0), spf, dkim)
            : DmarcInput.withFromProblem(fromStatus, fromDomains, spf, dkim);
    input = input.withClientIp(envelope.clientIp());
    return listId.isPresent() ? input.withListId(listId.get()) : input;
  }

  private static int fieldEnd(byte[] m, int pos, int n) {
    int i = pos;
    while (i < n) {
      while (i < n && m[i] != '\n') {
        i++;
      }
      i = Math.min(i + 1, n);
      if (i >= n || (m[i] != ' ' && m[i] != '\t')) {
        return i;
      }
    }
    return i;
  }

  private static boolean nameIs(byte[] m, int pos, int len, String lower) {
    if (len != lower.length()) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      int c = m[pos + i] & 0xFF;
      if (c >= 'A' && c <= 'Z') {
        c += 32;
      }
      if (c != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static String unfold(byte[] m, int from, int to) {
    StringBuilder sb = new StringBuilder(to - from);
    for (int i = from; i < to; i++) {
      byte b = m[i];
      if (b != '\r' && b != '\n') {
        sb.append((char) (b & 0xFF));
      }
    }
    return sb.toString();
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
      String v = tag.substring(eq + 1).replaceAll("[ \\t]", "");
      switch (name) {
        case "d":
          d = v.toLowerCase(java.util.Locale.ROOT);
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

  static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
