// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.dmarcj.fuzz.FuzzBounds;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/** Fuzzes domain-name normalisation (IDNA, Punycode) and the name operations built on it. */
@Tag("fuzz")
final class DomainNameFuzzTest {
  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void of_anyText_normalisedNameOrTypedReason(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Optional<DomainName> parsed =
        FuzzBounds.allocationBounded(
            input.length,
            256,
            () -> {
              try {
                return Optional.of(DomainName.of(text));
              } catch (InvalidDomainNameException e) {
                assertThat(e.reason()).isNotNull();
                return Optional.empty();
              }
            });
    if (parsed.isEmpty()) {
      return;
    }
    DomainName d = parsed.get();
    String name = d.name();
    assertThat(name.length()).isBetween(1, DomainName.MAX_LENGTH);
    assertThat(name).doesNotEndWith(".").isEqualTo(name.toLowerCase(java.util.Locale.ROOT));
    assertThat(name.chars().allMatch(c -> c > 0x20 && c < 0x7F)).as("ASCII: %s", name).isTrue();
    assertThat(DomainName.of(name)).as("fixed point").isEqualTo(d);
    assertThat(String.join(".", d.labels())).isEqualTo(name);
    assertThat(d.labelCount()).isEqualTo(d.labels().size());
    for (String label : d.labels()) {
      assertThat(label.length()).isBetween(1, DomainName.MAX_LABEL_LENGTH);
    }
    for (int k = 1; k <= d.labelCount() + 1; k++) {
      DomainName tail = d.lastLabels(k);
      assertThat(d.isSubdomainOf(tail)).isTrue();
      assertThat(tail.labelCount()).isEqualTo(Math.min(k, d.labelCount()));
    }
    int steps = 0;
    for (Optional<DomainName> p = d.parent(); p.isPresent(); p = p.get().parent()) {
      assertThat(d.isSubdomainOf(p.get())).isTrue();
      steps++;
    }
    assertThat(steps).isEqualTo(d.labelCount() - 1);
    assertThat(d.toUnicode()).isNotNull();
  }

  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void encode_anyText_decodesBack(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    String encoded;
    try {
      encoded = Punycode.encode(text);
    } catch (IllegalArgumentException e) {
      return; // documented: arithmetic overflow on absurdly long input
    }
    assertThat(encoded.chars().allMatch(c -> c < 0x80)).isTrue();
    assertThat(decode(encoded)).isEqualTo(text);
  }

  /** The RFC 3492 §6.2 decoder, written out here to check the encoder against. */
  static String decode(String input) {
    int n = 128;
    int i = 0;
    int bias = 72;
    int b = input.lastIndexOf('-');
    // A leading '-' delimits nothing when there are no basic code points: the encoder writes it
    // only after at least one basic code point.
    java.util.List<Integer> out = new java.util.ArrayList<>();
    int start = 0;
    boolean first = true;
    if (b > 0) {
      for (int j = 0; j < b; j++) {
        out.add((int) input.charAt(j));
      }
      start = b + 1;
    }
    for (int in = start; in < input.length(); ) {
      int oldi = i;
      int w = 1;
      for (int k = 36; ; k += 36) {
        char c = input.charAt(in++);
        int digit = c >= '0' && c <= '9' ? c - 22 : c >= 'a' && c <= 'z' ? c - 'a' : c - 'A';
        i += digit * w;
        int t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
        if (digit < t) {
          break;
        }
        w *= 36 - t;
      }
      int len = out.size() + 1;
      int delta = first ? (i - oldi) / 700 : (i - oldi) / 2;
      first = false;
      delta += delta / len;
      int kk = 0;
      while (delta > ((36 - 1) * 26) / 2) {
        delta /= 36 - 1;
        kk += 36;
      }
      bias = kk + (36 * delta) / (delta + 38);
      n += i / len;
      i %= len;
      out.add(i, n);
      i++;
    }
    StringBuilder sb = new StringBuilder();
    for (int cp : out) {
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }
}
