// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.domain;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A fully qualified domain name in the form every comparison and query uses (RFC 8616 §4 and §6):
 * A-labels, ASCII lower case, no trailing dot. Two names are equal exactly when they name the same
 * node.
 *
 * <p>Create one with {@link #of(String)} (throws {@link InvalidDomainNameException} with a {@link
 * InvalidDomainNameException.Reason}) or {@link #parse(String)} (empty for an invalid name).
 * U-labels are converted with IDNA ({@code bücher.example} becomes {@code xn--bcher-kva.example}).
 * Labels may hold any printable ASCII except the dot, since DNS names such as {@code
 * _dmarc.example.com} or {@code selector._domainkey} are not host names.
 */
public final class DomainName implements Comparable<DomainName> {
  /** Longest name in presentation form without the trailing dot (RFC 1035 §2.3.4). */
  public static final int MAX_LENGTH = 253;

  /** Longest label (RFC 1035 §2.3.4). */
  public static final int MAX_LABEL_LENGTH = 63;

  private final String name;

  private DomainName(String name) {
    this.name = name;
  }

  /**
   * {@return the normalised name}
   *
   * @param text a domain name, U-labels allowed, trailing dot optional
   * @throws InvalidDomainNameException if {@code text} is not a domain name
   */
  public static DomainName of(String text) {
    java.util.Objects.requireNonNull(text, "text");
    boolean ascii = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= 0x20 || (c >= 0x7F && c <= 0x9F)) {
        throw new InvalidDomainNameException(
            InvalidDomainNameException.Reason.INVALID_CHARACTER, text);
      }
      if (c > 0x7F) {
        ascii = false;
      }
    }
    String t = ascii ? text : hasDeviation(text) ? toAscii(text) : idnaToAscii(text, text);
    if (t.endsWith(".")) {
      t = t.substring(0, t.length() - 1);
    }
    if (t.isEmpty()) {
      throw new InvalidDomainNameException(InvalidDomainNameException.Reason.EMPTY, text);
    }
    if (t.length() > MAX_LENGTH) {
      throw new InvalidDomainNameException(InvalidDomainNameException.Reason.TOO_LONG, text);
    }
    int start = 0;
    for (int i = 0; i <= t.length(); i++) {
      if (i == t.length() || t.charAt(i) == '.') {
        int len = i - start;
        if (len == 0) {
          throw new InvalidDomainNameException(InvalidDomainNameException.Reason.EMPTY_LABEL, text);
        }
        if (len > MAX_LABEL_LENGTH) {
          throw new InvalidDomainNameException(
              InvalidDomainNameException.Reason.LABEL_TOO_LONG, text);
        }
        start = i + 1;
      } else {
        char c = t.charAt(i);
        if (c <= 0x20 || c >= 0x7F) {
          throw new InvalidDomainNameException(
              InvalidDomainNameException.Reason.INVALID_CHARACTER, text);
        }
      }
    }
    return new DomainName(t.toLowerCase(Locale.ROOT));
  }

  /**
   * U-labels to A-labels, label by label (RFC 5891 §5). The JDK's IDNA2003 conversion maps {@code
   * ß} to {@code ss} and {@code ς} to {@code σ}; IDNA2008 keeps both letters (RFC 5892 Appendix B,
   * UTS #46 nontransitional processing), so labels holding them are lower-cased, NFC-normalised and
   * Punycode-encoded here instead. The dot-like separators U+3002, U+FF0E and U+FF61 separate
   * labels as a dot does.
   */
  private static String toAscii(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i == text.length() ? '.' : text.charAt(i);
      if (c != '.' && c != '\u3002' && c != '\uFF0E' && c != '\uFF61') {
        continue;
      }
      if (start > 0) {
        out.append('.'); // every segment but the first follows a separator
      }
      out.append(labelToAscii(text.substring(start, i), text));
      start = i + 1;
    }
    return out.toString();
  }

  /** True if {@code text} holds a letter IDNA2003 and IDNA2008 convert differently. */
  private static boolean hasDeviation(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u00DF' || c == '\u1E9E' || c == '\u03C2') {
        return true;
      }
    }
    return false;
  }

  private static String idnaToAscii(String s, String text) {
    try {
      return IDN.toASCII(s, IDN.ALLOW_UNASSIGNED);
    } catch (IllegalArgumentException e) {
      throw new InvalidDomainNameException(InvalidDomainNameException.Reason.BAD_IDN, text);
    }
  }

  private static String labelToAscii(String label, String text) {
    boolean ascii = true;
    for (int i = 0; i < label.length(); i++) {
      if (label.charAt(i) > 0x7F) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return label;
    }
    StringBuilder lower = new StringBuilder(label.length());
    label.codePoints().map(Character::toLowerCase).forEach(lower::appendCodePoint);
    String folded = java.text.Normalizer.normalize(lower, java.text.Normalizer.Form.NFC);
    if (folded.indexOf('\u00DF') < 0 && folded.indexOf('\u03C2') < 0) {
      return idnaToAscii(label, text);
    }
    try {
      return "xn--" + Punycode.encode(folded);
    } catch (IllegalArgumentException e) {
      throw new InvalidDomainNameException(InvalidDomainNameException.Reason.BAD_IDN, text);
    }
  }

  /**
   * {@return the normalised name, or empty if {@code text} is not a domain name}
   *
   * @param text a domain name, U-labels allowed, trailing dot optional
   */
  public static Optional<DomainName> parse(String text) {
    try {
      return Optional.of(of(text));
    } catch (InvalidDomainNameException e) {
      return Optional.empty();
    }
  }

  /** {@return the name: A-labels, lower case, no trailing dot} */
  public String name() {
    return name;
  }

  /** {@return the name with A-labels turned back into Unicode, for display only} */
  public String toUnicode() {
    return IDN.toUnicode(name, IDN.ALLOW_UNASSIGNED);
  }

  /** {@return the labels from left to right} */
  public List<String> labels() {
    List<String> labels = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= name.length(); i++) {
      if (i == name.length() || name.charAt(i) == '.') {
        labels.add(name.substring(start, i));
        start = i + 1;
      }
    }
    return labels;
  }

  /** {@return the number of labels: 2 for {@code example.com}} */
  public int labelCount() {
    int n = 1;
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) == '.') {
        n++;
      }
    }
    return n;
  }

  /** {@return the name one label up, or empty for a single-label name} */
  public Optional<DomainName> parent() {
    int dot = name.indexOf('.');
    return dot < 0 ? Optional.empty() : Optional.of(new DomainName(name.substring(dot + 1)));
  }

  /**
   * {@return the right-most {@code count} labels; this name if it has no more than that}
   *
   * @param count how many labels to keep
   */
  public DomainName lastLabels(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("label count must be positive, was " + count);
    }
    int idx = name.length();
    for (int seen = 0; seen < count; seen++) {
      idx = name.lastIndexOf('.', idx - 1);
      if (idx < 0) {
        return this;
      }
    }
    return new DomainName(name.substring(idx + 1));
  }

  /** The right part of this name starting at {@code index}, which must follow a dot or be 0. */
  DomainName suffixFrom(int index) {
    return index == 0 ? this : new DomainName(name.substring(index));
  }

  /**
   * {@return this name with {@code label} prepended: {@code _dmarc} gives {@code
   * _dmarc.example.com}}
   *
   * @param label the label to prepend
   */
  public DomainName child(String label) {
    return of(label + "." + name);
  }

  /**
   * {@return true if this name equals {@code other} or lies below it}
   *
   * @param other the possible parent
   */
  public boolean isSubdomainOf(DomainName other) {
    return name.equals(other.name)
        || (name.length() > other.name.length()
            && name.endsWith(other.name)
            && name.charAt(name.length() - other.name.length() - 1) == '.');
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DomainName d && d.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public int compareTo(DomainName o) {
    return name.compareTo(o.name);
  }

  @Override
  public String toString() {
    return name;
  }
}
