// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.IDN;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

final class PunycodeTest {
  @Test
  @DisplayName("RFC 3492 encoder: known labels")
  void encode_knownLabels() {
    assertThat(Punycode.encode("bücher")).isEqualTo("bcher-kva");
    assertThat(Punycode.encode("straße")).isEqualTo("strae-oqa");
    assertThat(Punycode.encode("例え")).isEqualTo("r8jz45g");
    assertThat(Punycode.encode("abc")).isEqualTo("abc-");
  }

  @Test
  @DisplayName("RFC 3492 encoder agrees with java.net.IDN on already-mapped labels (seeded)")
  void encode_randomLabels_matchJdk() {
    Random rnd = new Random(3492);
    int[][] ranges = {{0x0430, 0x044F}, {0x4E00, 0x9FA0}, {0x3041, 0x3093}, {0xAC00, 0xD7A3}};
    for (int iter = 0; iter < 5000; iter++) {
      int[] r = ranges[rnd.nextInt(ranges.length)];
      StringBuilder sb = new StringBuilder();
      int n = 1 + rnd.nextInt(12);
      for (int k = 0; k < n; k++) {
        if (rnd.nextInt(3) == 0) {
          sb.append((char) ('a' + rnd.nextInt(26)));
        } else {
          sb.appendCodePoint(r[0] + rnd.nextInt(r[1] - r[0]));
        }
      }
      String label = sb.toString();
      if (label.chars().allMatch(c -> c < 0x80)) {
        continue;
      }
      String jdk;
      try {
        jdk = IDN.toASCII(label, IDN.ALLOW_UNASSIGNED);
      } catch (IllegalArgumentException e) {
        continue; // longer than 63 octets once encoded
      }
      assertThat("xn--" + Punycode.encode(label)).as(label).isEqualTo(jdk);
    }
  }
}
