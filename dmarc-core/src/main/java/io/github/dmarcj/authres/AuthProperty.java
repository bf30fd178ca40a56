// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.authres;

import java.util.Locale;
import java.util.Objects;

/**
 * One {@code propspec} of a result: {@code ptype.property=pvalue} (RFC 8601 §2.2, §2.3), for
 * example {@code smtp.mailfrom=user@example.com} or {@code header.d=example.com}.
 *
 * @param type the ptype ({@code smtp}, {@code header}, {@code body}, {@code policy} or an
 *     extension), lower case
 * @param name the property name, lower case
 * @param value the value without quotes or comments, as written
 */
public record AuthProperty(String type, String name, String value) {
  /**
   * Checks that type and name are keywords and lower-cases them.
   *
   * @param type the ptype ({@code smtp}, {@code header}, {@code body}, {@code policy} or an
   *     extension), lower case
   * @param name the property name, lower case
   * @param value the value without quotes or comments, as written
   */
  public AuthProperty {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (!AuthResultsSyntax.isKeyword(type)) {
      throw new IllegalArgumentException("ptype must be a keyword, was '" + type + "'");
    }
    if (!AuthResultsSyntax.isKeyword(name)) {
      throw new IllegalArgumentException("property must be a keyword, was '" + name + "'");
    }
    type = type.toLowerCase(Locale.ROOT);
    name = name.toLowerCase(Locale.ROOT);
  }

  /**
   * {@return a property; {@code of("header", "d", "example.com")}}
   *
   * @param type the ptype, for example {@code header}
   * @param name the property, for example {@code d}
   * @param value the value
   */
  public static AuthProperty of(String type, String name, String value) {
    return new AuthProperty(type, name, value);
  }

  /** {@return {@code type.name}, for example {@code header.d}} */
  public String key() {
    return type + "." + name;
  }
}
