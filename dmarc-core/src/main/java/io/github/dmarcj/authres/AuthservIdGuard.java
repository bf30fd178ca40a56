// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.authres;

import io.github.dmarcj.message.HeaderField;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Finds incoming {@code Authentication-Results} fields that claim to come from our own authserv-id,
 * which a border MTA removes before adding its own (RFC 8601 §5): a sender could otherwise forge a
 * result that looks like ours. Fields with other authserv-ids are left alone (they are simply not
 * trusted), and ARC's {@code ARC-Authentication-Results} fields are never touched because their
 * name differs.
 *
 * <p>A field whose body cannot be parsed is matched on its first word, so a malformed forgery
 * cannot slip through.
 *
 * @since 0.1.0
 */
public final class AuthservIdGuard {
  private final String authservId;

  private AuthservIdGuard(String authservId) {
    this.authservId = authservId;
  }

  /**
   * {@return a guard for {@code authservId} (compared ignoring ASCII case)}
   *
   * @param authservId this server's authserv-id
   * @throws IllegalArgumentException if {@code authservId} is blank
   */
  public static AuthservIdGuard forAuthservId(String authservId) {
    Objects.requireNonNull(authservId, "authservId");
    if (authservId.isBlank()) {
      throw new IllegalArgumentException("authserv-id must not be blank");
    }
    return new AuthservIdGuard(authservId.trim());
  }

  /**
   * {@return true if {@code field} is an {@code Authentication-Results} field carrying our
   * authserv-id, or any field that hides one behind a bare CR: software that takes a lone CR for a
   * line break would read what follows it as a field of its own}
   *
   * @param field a header field of the received message
   */
  public boolean claimsOurs(HeaderField field) {
    if (field.hasName(AuthenticationResults.FIELD_NAME) && bodyClaimsOurs(field.value())) {
      return true;
    }
    byte[] raw = field.raw();
    return hiddenBehindBareCr(raw, 0, raw.length);
  }

  /**
   * {@return the fields of {@code fields} that {@link #claimsOurs(HeaderField)}, in order}
   *
   * @param fields the header fields of the received message
   */
  public List<HeaderField> fieldsClaimingOurs(List<HeaderField> fields) {
    List<HeaderField> out = new ArrayList<>();
    for (HeaderField f : fields) {
      if (claimsOurs(f)) {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * {@return the message with every header field that {@link #claimsOurs} removed; the rest of the
   * bytes, including the body, unchanged} Returns {@code message} itself when nothing matched.
   *
   * @param message the message as received, header and body
   */
  public byte[] removeClaimingOurs(byte[] message) {
    Objects.requireNonNull(message, "message");
    ByteArrayOutputStream out = null;
    int copied = 0;
    int pos = 0;
    int n = message.length;
    while (pos < n) {
      if (message[pos] == '\n'
          || (message[pos] == '\r' && pos + 1 < n && message[pos + 1] == '\n')) {
        break; // empty line: end of the header section
      }
      int start = pos;
      int end = fieldEnd(message, pos);
      if (isOursRaw(message, start, end)) {
        if (out == null) {
          out = new ByteArrayOutputStream(n);
        }
        out.write(message, copied, start - copied);
        copied = end;
      }
      pos = end;
    }
    if (out == null) {
      return message;
    }
    out.write(message, copied, n - copied);
    return out.toByteArray();
  }

  /** End (exclusive) of the field starting at {@code pos}, continuation lines included. */
  private static int fieldEnd(byte[] m, int pos) {
    int i = pos;
    while (i < m.length) {
      int nl = i;
      while (nl < m.length && m[nl] != '\n') {
        nl++;
      }
      i = Math.min(nl + 1, m.length);
      if (i >= m.length || (m[i] != ' ' && m[i] != '\t')) {
        return i;
      }
    }
    return i;
  }

  private boolean isOursRaw(byte[] m, int start, int end) {
    return isOursField(m, start, end) || hiddenBehindBareCr(m, start, end);
  }

  /** True if a bare CR inside {@code m[start..end)} is followed by a field claiming ours. */
  private boolean hiddenBehindBareCr(byte[] m, int start, int end) {
    for (int i = start; i < end - 1; i++) {
      if (m[i] == '\r' && m[i + 1] != '\n' && isOursField(m, i + 1, end)) {
        return true;
      }
    }
    return false;
  }

  private boolean isOursField(byte[] m, int start, int end) {
    int colon = -1;
    for (int i = start; i < end; i++) {
      if (m[i] == ':') {
        colon = i;
        break;
      }
    }
    if (colon < 0) {
      return false;
    }
    String name = new String(m, start, colon - start, StandardCharsets.ISO_8859_1).strip();
    if (!name.equalsIgnoreCase(AuthenticationResults.FIELD_NAME)) {
      return false;
    }
    String unfolded =
        new String(m, colon + 1, end - colon - 1, StandardCharsets.ISO_8859_1)
            .replace("\r\n", "")
            .replace("\n", "");
    // A lone CR is read as a space by some software and dropped by other software (as
    // HeaderField.value() drops it): a claim under either reading is a claim.
    return bodyClaimsOurs(unfolded.replace('\r', ' '))
        || bodyClaimsOurs(unfolded.replace("\r", ""));
  }

  private boolean bodyClaimsOurs(String body) {
    String id =
        AuthenticationResults.parse(body).map(AuthenticationResults::authservId).orElse(null);
    if (id == null) {
      String t = body.strip();
      int end = 0;
      while (end < t.length() && !Character.isWhitespace(t.charAt(end)) && t.charAt(end) != ';') {
        end++;
      }
      id = t.substring(0, end);
    }
    return normalized(id).equals(normalized(authservId));
  }

  /** An authserv-id for comparison: ASCII lower case, one trailing dot dropped (a domain name). */
  private static String normalized(String id) {
    // trim(), not strip(): an id padded with control characters such as NUL, which the parser
    // keeps inside a token, is still a claim on ours for a reader that drops them.
    String t = id.trim();
    if (t.endsWith(".")) {
      t = t.substring(0, t.length() - 1);
    }
    return t.toLowerCase(Locale.ROOT);
  }
}
