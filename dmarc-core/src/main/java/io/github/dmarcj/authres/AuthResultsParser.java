// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.authres;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A forgiving reader of {@code Authentication-Results} bodies (RFC 8601 §2.2). Works on one string
 * in a single pass; every loop advances, so any input terminates in linear time.
 */
final class AuthResultsParser {
  /** Bodies longer than this are cut: no legitimate field comes close (RFC 5322 line limits). */
  static final int MAX_INPUT = 64 * 1024;

  private final String s;
  private int pos;
  private @Nullable String lastComment;

  AuthResultsParser(String text) {
    this.s = text.length() > MAX_INPUT ? text.substring(0, MAX_INPUT) : text;
  }

  Optional<AuthenticationResults> parse() {
    skipCfws();
    String authservId = readValue();
    // Blank also covers ids made only of characters String.isBlank counts as white space, such as
    // U+001C..U+001F, which end no token here: AuthenticationResults refuses a blank id.
    if (authservId == null || authservId.isBlank()) {
      return Optional.empty();
    }
    skipCfws();
    // optional authres-version
    int save = pos;
    String version = readWhile(Character::isDigit);
    if (!version.isEmpty()) {
      skipCfws();
      if (!atEnd() && s.charAt(pos) != ';') {
        pos = save;
      }
    }
    List<MethodResult> results = new ArrayList<>();
    while (skipToSemicolon()) {
      pos++; // ';'
      skipCfws();
      MethodResult r = readResinfo();
      if (r != null) {
        results.add(r);
      }
    }
    return Optional.of(new AuthenticationResults(authservId, results));
  }

  /** Reads one resinfo after its ';'; null for {@code none} or anything unreadable. */
  private @Nullable MethodResult readResinfo() {
    String method = readKeyword();
    if (method.isEmpty()) {
      return null;
    }
    skipCfws();
    Integer methodVersion = null;
    if (peek('/')) {
      pos++;
      skipCfws();
      String v = readWhile(Character::isDigit);
      if (v.isEmpty() || v.length() > 9) {
        return null;
      }
      methodVersion = Integer.valueOf(v);
      skipCfws();
    }
    if (!peek('=')) {
      return null; // "none" (no-result) or garbage
    }
    pos++;
    skipCfws();
    lastComment = null;
    String result = readKeyword();
    if (result.isEmpty()) {
      return null;
    }
    skipCfws();
    String comment = lastComment;
    String reason = null;
    List<AuthProperty> props = new ArrayList<>();
    while (!atEnd() && s.charAt(pos) != ';') {
      int start = pos;
      String word = readKeyword();
      skipCfws();
      if (!word.isEmpty() && word.equalsIgnoreCase("reason") && peek('=')) {
        pos++;
        skipCfws();
        String v = readValue();
        if (reason == null && v != null) {
          reason = v;
        }
      } else if (!word.isEmpty() && peek('.')) {
        pos++;
        skipCfws();
        String name = readKeyword();
        skipCfws();
        if (!name.isEmpty() && peek('=')) {
          pos++;
          skipCfws();
          String v = readValue();
          if (v != null) {
            props.add(new AuthProperty(word, name, v));
          }
        }
      }
      skipCfws();
      if (pos == start) {
        pos++; // skip a character we cannot use
        skipCfws();
      }
    }
    return new MethodResult(
        method,
        Optional.ofNullable(methodVersion),
        result,
        Optional.ofNullable(reason),
        Optional.ofNullable(comment),
        props);
  }

  /** Advances to the next ';' outside comments and quoted strings; false at the end. */
  private boolean skipToSemicolon() {
    while (!atEnd()) {
      char c = s.charAt(pos);
      if (c == ';') {
        return true;
      } else if (c == '(') {
        skipComment();
      } else if (c == '"') {
        readQuoted();
      } else {
        pos++;
      }
    }
    return false;
  }

  private String readKeyword() {
    int start = pos;
    while (!atEnd()) {
      char c = s.charAt(pos);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || ((c == '-' || c == '_') && pos > start)) {
        pos++;
      } else {
        break;
      }
    }
    return s.substring(start, pos);
  }

  /** A quoted string, or a run of characters up to whitespace, ';' or '('; null if none. */
  private @Nullable String readValue() {
    if (atEnd()) {
      return null;
    }
    if (s.charAt(pos) == '"') {
      return readQuoted();
    }
    int start = pos;
    while (!atEnd()) {
      char c = s.charAt(pos);
      if (c == ';' || c == '(' || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        break;
      }
      if (c == '"') {
        // local-part in quotes followed by @domain: keep reading the quoted part verbatim
        int q = pos;
        readQuoted();
        if (pos == q) {
          pos++;
        }
        continue;
      }
      pos++;
    }
    return pos == start ? null : s.substring(start, pos);
  }

  /** Reads a quoted-string at pos (which is '"'), returning its content unescaped. */
  private String readQuoted() {
    StringBuilder sb = new StringBuilder();
    pos++;
    while (!atEnd()) {
      char c = s.charAt(pos++);
      if (c == '\\' && !atEnd()) {
        sb.append(s.charAt(pos++));
      } else if (c == '"') {
        return sb.toString();
      } else if (c != '\r' && c != '\n') {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private void skipCfws() {
    while (!atEnd()) {
      char c = s.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        pos++;
      } else if (c == '(') {
        String comment = skipComment();
        if (lastComment == null) {
          lastComment = comment;
        }
      } else {
        return;
      }
    }
  }

  /** Skips a (possibly nested) comment at pos and returns its text, unfolded. */
  private String skipComment() {
    StringBuilder sb = new StringBuilder();
    int depth = 0;
    while (!atEnd()) {
      char c = s.charAt(pos++);
      if (c == '\\' && !atEnd()) {
        sb.append(s.charAt(pos++));
        continue;
      }
      if (c == '(') {
        depth++;
        if (depth == 1) {
          continue;
        }
      } else if (c == ')') {
        depth--;
        if (depth == 0) {
          break;
        }
      }
      if (c == '\r' || c == '\n') {
        continue;
      }
      sb.append(c);
    }
    return sb.toString().trim();
  }

  private String readWhile(java.util.function.IntPredicate p) {
    int start = pos;
    while (!atEnd() && p.test(s.charAt(pos))) {
      pos++;
    }
    return s.substring(start, pos);
  }

  private boolean peek(char c) {
    return !atEnd() && s.charAt(pos) == c;
  }

  private boolean atEnd() {
    return pos >= s.length();
  }
}
