// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.authres;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One {@code resinfo} of an {@code Authentication-Results} field (RFC 8601 §2.2): a method and its
 * result, an optional {@code reason=}, and properties.
 *
 * @param method the method keyword ({@code spf}, {@code dkim}, {@code dmarc}, ...), lower case
 * @param methodVersion the {@code method/version} number if one was written
 * @param result the result keyword, lower case ({@code pass}, {@code fail}, ...)
 * @param reason the {@code reason=} text, without quotes (RFC 8601 §2.2 reasonspec)
 * @param comment a comment written after the result, without its parentheses; the writer emits it,
 *     the parser fills it with the first comment that follows the result
 * @param properties the properties in order
 */
public record MethodResult(
    String method,
    Optional<Integer> methodVersion,
    String result,
    Optional<String> reason,
    Optional<String> comment,
    List<AuthProperty> properties) {
  /**
   * Checks that method and result are keywords and lower-cases them; copies the properties.
   *
   * @param method the method keyword ({@code spf}, {@code dkim}, {@code dmarc}, ...), lower case
   * @param methodVersion the {@code method/version} number if one was written
   * @param result the result keyword, lower case ({@code pass}, {@code fail}, ...)
   * @param reason the {@code reason=} text, without quotes (RFC 8601 §2.2 reasonspec)
   * @param comment a comment written after the result, without its parentheses; the writer emits
   *     it, the parser fills it with the first comment that follows the result
   * @param properties the properties in order
   */
  public MethodResult {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(methodVersion, "methodVersion");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(comment, "comment");
    properties = List.copyOf(properties);
    if (!AuthResultsSyntax.isKeyword(method)) {
      throw new IllegalArgumentException("method must be a keyword, was '" + method + "'");
    }
    if (!AuthResultsSyntax.isKeyword(result)) {
      throw new IllegalArgumentException("result must be a keyword, was '" + result + "'");
    }
    method = method.toLowerCase(Locale.ROOT);
    result = result.toLowerCase(Locale.ROOT);
  }

  /**
   * {@return a result without version, reason or comment}
   *
   * @param method the method, for example {@code dkim}
   * @param result the result keyword, for example {@code pass}
   * @param properties the properties, in order
   */
  public static MethodResult of(String method, String result, List<AuthProperty> properties) {
    return new MethodResult(
        method, Optional.empty(), result, Optional.empty(), Optional.empty(), properties);
  }

  /**
   * {@return this result with {@code reason=}; an empty or blank reason leaves it without}
   *
   * @param reason the reason text
   */
  public MethodResult withReason(@Nullable String reason) {
    Optional<String> r = Optional.ofNullable(reason).filter(s -> !s.isBlank());
    return new MethodResult(method, methodVersion, result, r, comment, properties);
  }

  /**
   * {@return this result with a comment; an empty or blank comment leaves it without}
   *
   * @param comment the comment text, without parentheses
   */
  public MethodResult withComment(@Nullable String comment) {
    Optional<String> c = Optional.ofNullable(comment).filter(s -> !s.isBlank());
    return new MethodResult(method, methodVersion, result, reason, c, properties);
  }

  /**
   * {@return this result as RFC 8601 text, for example {@code spf=pass (client-ip 192.0.2.1)
   * smtp.mailfrom=a@example.com}: the form {@link AuthenticationResults} writes between semicolons,
   * with the same quoting, escaping and length bounds}
   */
  public String text() {
    return String.join(" ", words());
  }

  /** The words of {@link #text()}: method and result, comment, reason, each property. */
  java.util.List<String> words() {
    java.util.List<String> words = new java.util.ArrayList<>(3 + properties.size());
    words.add(method + methodVersion.map(v -> "/" + v).orElse("") + "=" + result);
    comment.ifPresent(c -> words.add(AuthenticationResults.comment(AuthenticationResults.cut(c))));
    reason.ifPresent(
        r -> words.add("reason=" + AuthenticationResults.valueText(AuthenticationResults.cut(r))));
    for (AuthProperty p : properties) {
      String v = p.value();
      String text;
      if (AuthResultsSyntax.isBarePropertyValue(v)) {
        text = v;
      } else {
        StringBuilder sb = new StringBuilder();
        AuthResultsSyntax.appendQuoted(sb, v);
        text = sb.toString();
      }
      String word = p.key() + "=" + text;
      words.add(
          word.length() <= AuthenticationResults.MAX_PROPERTY_LENGTH
              ? word
              : AuthenticationResults.comment(
                  p.key() + " left out: " + v.length() + " characters"));
    }
    return words;
  }

  /**
   * {@return the value of the first property {@code type.name} (case-insensitive), for example
   * {@code property("header", "d")}}
   *
   * @param type the ptype, for example {@code header}
   * @param name the property, for example {@code d}
   */
  public Optional<String> property(String type, String name) {
    for (AuthProperty p : properties) {
      if (p.type().equalsIgnoreCase(type) && p.name().equalsIgnoreCase(name)) {
        return Optional.of(p.value());
      }
    }
    return Optional.empty();
  }
}
