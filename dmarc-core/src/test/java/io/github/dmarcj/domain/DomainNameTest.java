// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dmarcj.domain.InvalidDomainNameException.Reason;
import java.net.IDN;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class DomainNameTest {

  @ParameterizedTest(name = "RFC 8616 §4 to §6: [{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "example.com | example.com",
        "Example.COM | example.com",
        "example.com. | example.com",
        "EXAMPLE.com. | example.com",
        "_dmarc.example.com | _dmarc.example.com",
        "sel._domainkey.Example.org | sel._domainkey.example.org",
        "com | com",
        "bücher.example | xn--bcher-kva.example",
        "BÜCHER.example | xn--bcher-kva.example",
        "XN--BCHER-KVA.Example | xn--bcher-kva.example",
        "bücher.example. | xn--bcher-kva.example",
        "例え.テスト | xn--r8jz45g.xn--zckzah",
        "bücher。example | xn--bcher-kva.example",
        "bücher.example。 | xn--bcher-kva.example",
        "straße.de | xn--strae-oqa.de",
        "STRAẞE.de | xn--strae-oqa.de",
        "ΒΌΛΟΣ.example | xn--nxasmq6b.example",
        "βόλος.example | xn--nxasmm1c.example",
        "βόλοσ.example | xn--nxasmq6b.example",
        "faß.example | xn--fa-hia.example",
        "Straße.Bücher.Example. | xn--strae-oqa.xn--bcher-kva.example",
        "bücher。straße．de | xn--bcher-kva.xn--strae-oqa.de",
        "sel._domainkey.straße.de | sel._domainkey.xn--strae-oqa.de",
      })
  void of_validNames_normalised(String text, String expected) {
    DomainName d = DomainName.of(text);
    assertThat(d.name()).isEqualTo(expected);
    assertThat(DomainName.parse(text)).contains(d);
    assertThat(d.toString()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{0}] is invalid: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | EMPTY",
        ". | EMPTY",
        ".. | EMPTY_LABEL",
        "example.com.. | EMPTY_LABEL",
        ".example.com | EMPTY_LABEL",
        "a..b | EMPTY_LABEL",
        "'exa mple.com' | INVALID_CHARACTER",
        "'exa\tmple.com' | INVALID_CHARACTER",
        "'b\u00fccher\u0085.example' | INVALID_CHARACTER",
      })
  void of_invalidNames_throwWithReason(String text, Reason reason) {
    assertThatThrownBy(() -> DomainName.of(text))
        .isInstanceOfSatisfying(
            InvalidDomainNameException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    assertThat(DomainName.parse(text)).isEmpty();
  }

  @Test
  @DisplayName("label and name length limits (RFC 1035 §2.3.4)")
  void of_lengthLimits() {
    String label63 = "a".repeat(63);
    assertThat(DomainName.of(label63 + ".example").labels().get(0)).hasSize(63);
    assertThatThrownBy(() -> DomainName.of("a".repeat(64) + ".example"))
        .isInstanceOfSatisfying(
            InvalidDomainNameException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.LABEL_TOO_LONG));
    String name253 = String.join(".", label63, label63, label63, "a".repeat(61));
    assertThat(name253).hasSize(253);
    assertThat(DomainName.of(name253).name()).hasSize(253);
    assertThat(DomainName.of(name253 + ".").name()).hasSize(253);
    assertThatThrownBy(() -> DomainName.of(name253 + "a"))
        .isInstanceOfSatisfying(
            InvalidDomainNameException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LONG));
    assertThatThrownBy(() -> DomainName.of("ü".repeat(60) + ".example"))
        .isInstanceOf(InvalidDomainNameException.class);
    assertThatThrownBy(() -> DomainName.of("b\u00fccher\u0000.example"))
        .isInstanceOfSatisfying(
            InvalidDomainNameException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_CHARACTER));
    assertThatThrownBy(() -> DomainName.of(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  @DisplayName("equality ignores case and the trailing dot")
  void equality_caseAndDot() {
    assertThat(DomainName.of("Example.COM.")).isEqualTo(DomainName.of("example.com"));
    assertThat(DomainName.of("Example.COM.").hashCode())
        .isEqualTo(DomainName.of("example.com").hashCode());
    assertThat(DomainName.of("bücher.example")).isEqualTo(DomainName.of("xn--bcher-kva.example"));
    assertThat(DomainName.of("a.example")).isNotEqualTo(DomainName.of("b.example"));
    assertThat(DomainName.of("a.example").compareTo(DomainName.of("b.example"))).isNegative();
  }

  @Test
  @DisplayName("toUnicode gives U-labels for display")
  void toUnicode_aLabels() {
    assertThat(DomainName.of("xn--bcher-kva.example").toUnicode()).isEqualTo("bücher.example");
    assertThat(DomainName.of("example.com").toUnicode()).isEqualTo("example.com");
  }

  @Test
  @DisplayName("labels, labelCount, parent, lastLabels, child")
  void structure() {
    DomainName d = DomainName.of("a.b.example.com");
    assertThat(d.labels()).containsExactly("a", "b", "example", "com");
    assertThat(d.labelCount()).isEqualTo(4);
    assertThat(d.parent()).map(DomainName::name).contains("b.example.com");
    assertThat(DomainName.of("com").parent()).isEmpty();
    assertThat(d.lastLabels(1).name()).isEqualTo("com");
    assertThat(d.lastLabels(2).name()).isEqualTo("example.com");
    assertThat(d.lastLabels(4)).isSameAs(d);
    assertThat(d.lastLabels(9)).isSameAs(d);
    assertThatThrownBy(() -> d.lastLabels(0)).hasMessageContaining("was 0");
    assertThat(DomainName.of("example.com").child("_dmarc").name()).isEqualTo("_dmarc.example.com");
    assertThat(DomainName.of("example.com").child("S1._domainkey").name())
        .isEqualTo("s1._domainkey.example.com");
    assertThatThrownBy(() -> DomainName.of("example.com").child(""))
        .isInstanceOf(InvalidDomainNameException.class);
  }

  @Test
  @DisplayName("isSubdomainOf needs a label boundary")
  void isSubdomainOf_labelBoundary() {
    DomainName org = DomainName.of("example.com");
    assertThat(DomainName.of("example.com").isSubdomainOf(org)).isTrue();
    assertThat(DomainName.of("mail.Example.com").isSubdomainOf(org)).isTrue();
    assertThat(DomainName.of("a.b.example.com").isSubdomainOf(org)).isTrue();
    assertThat(DomainName.of("badexample.com").isSubdomainOf(org)).isFalse();
    assertThat(DomainName.of("example.com.evil").isSubdomainOf(org)).isFalse();
    assertThat(DomainName.of("com").isSubdomainOf(org)).isFalse();
    assertThat(org.isSubdomainOf(DomainName.of("com"))).isTrue();
  }

  @Test
  @DisplayName("outside the IDNA2008 deviations the result equals java.net.IDN (seeded)")
  void of_randomUnicodeLabels_matchJdkIdn() {
    Random rnd = new Random(7489);
    int[] ranges = {0x00E0, 0x00FE, 0x0430, 0x044F, 0x05D0, 0x05EA, 0x4E00, 0x4E80, 0x3041, 0x3093};
    int checked = 0;
    for (int iter = 0; iter < 3000; iter++) {
      StringBuilder sb = new StringBuilder();
      int r = rnd.nextInt(ranges.length / 2) * 2;
      int n = 1 + rnd.nextInt(8);
      for (int k = 0; k < n; k++) {
        if (rnd.nextInt(4) == 0) {
          sb.append((char) ('a' + rnd.nextInt(26)));
        } else {
          sb.appendCodePoint(ranges[r] + rnd.nextInt(ranges[r + 1] - ranges[r]));
        }
      }
      String label = sb.toString();
      if (label.indexOf('\u00df') >= 0
          || label.indexOf('\u00f7') >= 0
          || label.indexOf('\u00d7') >= 0) {
        continue;
      }
      String jdk;
      try {
        jdk = IDN.toASCII(label + ".example", IDN.ALLOW_UNASSIGNED);
      } catch (IllegalArgumentException e) {
        continue; // bidi or other IDNA2003 refusals are not what this compares
      }
      assertThat(DomainName.of(label + ".example").name())
          .as(label)
          .isEqualTo(jdk.toLowerCase(java.util.Locale.ROOT));
      checked++;
    }
    assertThat(checked).isGreaterThan(2000);
    assertThat(List.of(DomainName.of("xn--bcher-kva.example"))).hasSize(1);
  }
}
