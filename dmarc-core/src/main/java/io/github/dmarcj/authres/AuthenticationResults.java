// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.authres;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code Authentication-Results} header field (RFC 8601 §2.2): the authserv-id of the host that
 * did the checks and the results it found. An empty {@link #results()} list is written as {@code
 * none} (RFC 8601 §2.2 {@code no-result}).
 *
 * <p>Writing: {@link #value()} is the field body on one line; {@link #toHeaderField()} is the
 * complete field, folded before each result and wherever a line would pass 78 characters, ending in
 * CRLF; no line exceeds 998 characters (RFC 5322 §2.1.1), since a property longer than {@link
 * #MAX_PROPERTY_LENGTH} is left out with a comment and a reason or comment longer than {@link
 * #MAX_TEXT_LENGTH} is cut. Values that are not RFC 2045 tokens (and, for properties, not {@code
 * [local-part] "@" domain}) are written as quoted strings (RFC 8601 §2.2).
 *
 * <p>Reading: {@link #parse(String)} accepts comments and folding whitespace anywhere, keywords in
 * any case, unknown methods, ptypes and properties, and skips a result it cannot read instead of
 * giving up on the field (RFC 8601 §2.2).
 *
 * @param authservId the authserv-id, usually the host name of the verifying server
 * @param results the method results in order
 * @since 0.1.0
 */
public record AuthenticationResults(String authservId, List<MethodResult> results) {
  /** The header field name. */
  public static final String FIELD_NAME = "Authentication-Results";

  /** Lines are folded before they would pass this many characters (RFC 5322 §2.1.1). */
  public static final int LINE_LENGTH = 78;

  /**
   * Longest {@code ptype.property=value} written. A longer value (a DKIM {@code i=} or a MAIL FROM
   * of thousands of characters, which the sender chooses) is left out and a comment says so, since
   * it cannot be folded without changing it: no line of {@link #toHeaderField()} then exceeds RFC
   * 5322's 998 characters. Real identities stay far below (local part 64, domain 253).
   */
  public static final int MAX_PROPERTY_LENGTH = 512;

  /** Longest reason or comment text written; longer text is cut and ends in "...". */
  public static final int MAX_TEXT_LENGTH = 256;

  /**
   * Checks that the authserv-id is present and not blank; copies the results.
   *
   * @param authservId the authserv-id, usually the host name of the verifying server
   * @param results the method results in order
   */
  public AuthenticationResults {
    Objects.requireNonNull(authservId, "authservId");
    results = List.copyOf(results);
    if (authservId.isBlank()) {
      throw new IllegalArgumentException("authserv-id must not be blank");
    }
  }

  /**
   * Parses a field body (the text after {@code Authentication-Results:}, folded or not).
   *
   * @param fieldValue the field body
   * @return the parsed field, or empty if the text does not even start with an authserv-id
   */
  public static Optional<AuthenticationResults> parse(String fieldValue) {
    return new AuthResultsParser(Objects.requireNonNull(fieldValue, "fieldValue")).parse();
  }

  /**
   * {@return the results of {@code method} (case-insensitive), in order}
   *
   * @param method the method name, for example {@code dkim}
   */
  public List<MethodResult> resultsFor(String method) {
    List<MethodResult> out = new ArrayList<>();
    for (MethodResult r : results) {
      if (r.method().equalsIgnoreCase(method)) {
        out.add(r);
      }
    }
    return out;
  }

  /** {@return the field body on one line, without the field name and line ending} */
  public String value() {
    List<List<String>> chunks = chunks();
    StringBuilder sb = new StringBuilder(128);
    for (int i = 0; i < chunks.size(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      List<String> words = chunks.get(i);
      for (int w = 0; w < words.size(); w++) {
        if (w > 0) {
          sb.append(' ');
        }
        sb.append(words.get(w));
      }
      if (i < chunks.size() - 1) {
        sb.append(';');
      }
    }
    return sb.toString();
  }

  /**
   * {@return the complete header field, {@code Authentication-Results: ...}, folded with CRLF and a
   * tab, ending in CRLF: ready to prepend to a message}
   */
  public String toHeaderField() {
    List<List<String>> chunks = chunks();
    StringBuilder sb = new StringBuilder(256);
    sb.append(FIELD_NAME).append(':');
    int lineLength = sb.length();
    for (int i = 0; i < chunks.size(); i++) {
      List<String> words = chunks.get(i);
      boolean last = i == chunks.size() - 1;
      for (int w = 0; w < words.size(); w++) {
        String word = words.get(w) + (last || w < words.size() - 1 ? "" : ";");
        boolean startOfResult = w == 0 && i > 0;
        if (startOfResult || lineLength + 1 + word.length() > LINE_LENGTH && lineLength > 1) {
          sb.append("\r\n\t");
          lineLength = 1;
        } else {
          sb.append(' ');
          lineLength++;
        }
        sb.append(word);
        lineLength += word.length();
      }
    }
    return sb.append("\r\n").toString();
  }

  /** The words of the field: first the authserv-id, then one list per result. */
  private List<List<String>> chunks() {
    List<List<String>> chunks = new ArrayList<>(results.size() + 1);
    chunks.add(List.of(valueText(authservId)));
    if (results.isEmpty()) {
      chunks.add(List.of("none"));
      return chunks;
    }
    for (MethodResult r : results) {
      chunks.add(r.words());
    }
    return chunks;
  }

  static String comment(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 2);
    AuthResultsSyntax.appendComment(sb, text);
    return sb.toString();
  }

  static String cut(String text) {
    return text.length() <= MAX_TEXT_LENGTH ? text : text.substring(0, MAX_TEXT_LENGTH - 3) + "...";
  }

  static String valueText(String v) {
    if (AuthResultsSyntax.isToken(v)) {
      return v;
    }
    StringBuilder sb = new StringBuilder(v.length() + 2);
    AuthResultsSyntax.appendQuoted(sb, v);
    return sb.toString();
  }

  @Override
  public String toString() {
    return value();
  }
}
