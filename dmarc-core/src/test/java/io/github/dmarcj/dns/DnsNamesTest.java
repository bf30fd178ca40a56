// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

final class DnsNamesTest {

  @Test
  @DisplayName("one trailing dot goes, ASCII letters are lower-cased, nothing else changes")
  void normalize_printableAscii_keptAsWritten() {
    assertThat(DnsNames.normalizeOrNull("Example.COM.")).isEqualTo("example.com");
    assertThat(DnsNames.normalizeOrNull("Macro%Percent  Space%20url-space.example.com"))
        .isEqualTo("macro%percent  space%20url-space.example.com");
    assertThat(DnsNames.normalizeOrNull("A+B=C*D_E[F]@{G}~\\.x"))
        .isEqualTo("a+b=c*d_e[f]@{g}~\\.x");
    assertThat(DnsNames.normalizeOrNull(" ")).isEqualTo(" ");
    assertThat(DnsNames.normalizeOrNull("already.normal")).isEqualTo("already.normal");
  }

  @Test
  @DisplayName("names that cannot be asked for are null")
  void normalize_impossibleNames_null() {
    for (String bad :
        new String[] {
          "",
          ".",
          "..",
          "a..b",
          "x".repeat(64) + ".com",
          "a.".repeat(127) + "bc",
          "j\u00f6e.example",
          "\u0166oo.example",
          "tab\there.example",
          "nul\u0000.example",
          "del\u007f.example",
          "cr\r.example"
        }) {
      assertThat(DnsNames.normalizeOrNull(bad)).as("%s", bad).isNull();
    }
    assertThat(DnsNames.normalizeOrNull("x".repeat(63) + ".com")).isNotNull();
    assertThat(DnsNames.normalizeOrNull("a.".repeat(126) + "b")).hasSize(253);
  }
}
