// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Macro parsing and expansion (RFC 7208 §7), table-driven and with seeded random inputs. */
final class MacroStringTest {

  /** The values of the RFC 7208 §7.4 examples. */
  private static final MacroString.Values RFC_EXAMPLE =
      (letter, domain) -> {
        switch (letter) {
          case 's':
            return "strong-bad@email.example.com";
          case 'l':
            return "strong-bad";
          case 'o':
          case 'd':
            return domain;
          case 'i':
            return "192.0.2.3";
          case 'v':
            return "in-addr";
          case 'h':
            return "mx.example.org";
          case 'p':
            return "unknown";
          case 'c':
            return "192.0.2.3";
          case 'r':
            return "receiver.example";
          case 't':
            return "1700000000";
          default:
            throw new AssertionError(letter);
        }
      };

  private static String expand(String macro, MacroString.Context context) throws Exception {
    StringBuilder sb = new StringBuilder();
    assertThat(MacroString.parse(macro, context).expandTo(sb, RFC_EXAMPLE, "email.example.com"))
        .isTrue();
    return sb.toString();
  }

  @ParameterizedTest(name = "{0} -> {1} (RFC 7208 §7.2 and §7.3)")
  @CsvSource({
    "%{s}, strong-bad@email.example.com",
    "%{o}, email.example.com",
    "%{d}, email.example.com",
    "%{d4}, email.example.com",
    "%{d3}, email.example.com",
    "%{d2}, example.com",
    "%{d1}, com",
    "%{dr}, com.example.email",
    "%{d2r}, example.email",
    "%{l}, strong-bad",
    "%{l-}, strong.bad",
    "%{lr}, strong-bad",
    "%{lr-}, bad.strong",
    "%{l1r-}, strong",
    "%{ir}.%{v}._spf.%{d2}, 3.2.0.192.in-addr._spf.example.com",
    "%{lr-}.lp._spf.%{d2}, bad.strong.lp._spf.example.com",
    "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}, bad.strong.lp.3.2.0.192.in-addr._spf.example.com",
    "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}, 3.2.0.192.in-addr.strong.lp._spf.example.com",
    "%{d2}.trusted-domains.example.net, example.com.trusted-domains.example.net",
    "%{D2}, example.com",
    "%{L}.x.com, strong-bad.x.com",
    "%{S}, strong-bad%40email.example.com",
    "a%%b%_c%-d.example.com, a%b c%20d.example.com",
    "%{d128}, email.example.com",
    "%{l+-.}.x.com, strong.bad.x.com"
  })
  void expandTo_rfc7208Examples_matchSection74(String macro, String expected) throws Exception {
    assertThat(expand(macro, MacroString.Context.DOMAIN_SPEC)).isEqualTo(expected);
  }

  @Test
  @DisplayName("c, r, t expand in explanations (RFC 7208 §7.2)")
  void expandTo_explanationLetters_expand() throws Exception {
    assertThat(expand("%{c} %{r} %{t} %{i}", MacroString.Context.EXPLANATION))
        .isEqualTo("192.0.2.3 receiver.example 1700000000 192.0.2.3");
  }

  @ParameterizedTest(name = "{0} is a syntax error (RFC 7208 §7.2 and §7.3)")
  @ValueSource(
      strings = {
        "%{c}.example.com",
        "%{r}.example.com",
        "%{t}.example.com",
        "%{x}.example.com",
        "%(ir).example.com",
        "foo%.example.com",
        "foo.example.com%",
        "%{d0}.example.com",
        "%{d",
        "%{d!}.example.com",
        "example",
        "example.123",
        "example.-com",
        "example.com-",
        "",
        "exa mple.com",
        "ex\u00e9mple.com"
      })
  void parse_invalidDomainSpec_throwsSyntaxError(String spec) {
    assertThatThrownBy(() -> MacroString.parse(spec, MacroString.Context.DOMAIN_SPEC))
        .isInstanceOf(SpfSyntaxException.class);
  }

  @ParameterizedTest(name = "{0} is a valid domain-spec (RFC 7208 §7.3)")
  @ValueSource(
      strings = {
        "example.com",
        "example.com.",
        "%{d}",
        "foo.%{d2}",
        "%{ir}.%{v}.arpa.",
        "x.1-2",
        "a%%",
        "a%_",
        "a%-",
        "_spf.example.com"
      })
  void parse_validDomainSpec_parses(String spec) throws Exception {
    assertThat(MacroString.parse(spec, MacroString.Context.DOMAIN_SPEC)).isNotNull();
  }

  @Test
  @DisplayName("upper-case macros URL-escape everything outside unreserved (RFC 7208 §7.3)")
  void escape_reservedCharacters_percentEncoded() {
    StringBuilder sb = new StringBuilder("x");
    sb.append("~jack&jill=up-a_b3.c é");
    MacroString.escape(sb, 1);
    assertThat(sb.toString()).isEqualTo("x~jack%26jill%3Dup-a_b3.c%20%C3%A9");
  }

  private static final String LETTERS = "slodipvhSLODIPVH";
  private static final String DELIMS = ".-+,/_=";

  private static String randomValidMacroString(Random r) {
    StringBuilder sb = new StringBuilder();
    int parts = 1 + r.nextInt(6);
    for (int k = 0; k < parts; k++) {
      switch (r.nextInt(4)) {
        case 0:
          sb.append("%{").append(LETTERS.charAt(r.nextInt(LETTERS.length())));
          if (r.nextBoolean()) {
            sb.append(1 + r.nextInt(200));
          }
          if (r.nextBoolean()) {
            sb.append(r.nextBoolean() ? 'r' : 'R');
          }
          for (int d = r.nextInt(3); d > 0; d--) {
            sb.append(DELIMS.charAt(r.nextInt(DELIMS.length())));
          }
          sb.append('}');
          break;
        case 1:
          sb.append(new String[] {"%%", "%_", "%-"}[r.nextInt(3)]);
          break;
        default:
          for (int c = 1 + r.nextInt(8); c > 0; c--) {
            char ch = (char) (0x21 + r.nextInt(0x7E - 0x21 + 1));
            sb.append(ch == '%' ? '.' : ch);
          }
      }
    }
    return sb.append(".example.com").toString();
  }

  @Test
  @DisplayName(
      "random valid macro strings parse and expand without throwing (RFC 7208 §7.2 and §7.3)")
  void parse_randomValidMacroStrings_expandWithoutThrowing() throws Exception {
    Random r = new Random(7208);
    MacroString.Values values =
        (letter, domain) -> {
          String v = RFC_EXAMPLE.macroValue(letter, domain);
          return r.nextInt(10) == 0 ? v + ".-+,/_=" + v : v;
        };
    for (int n = 0; n < 20_000; n++) {
      String s = randomValidMacroString(r);
      MacroString m = MacroString.parse(s, MacroString.Context.DOMAIN_SPEC);
      StringBuilder sb = new StringBuilder();
      assertThat(m.expandTo(sb, values, "email.example.com")).as(s).isTrue();
      assertThat(sb.toString()).as(s).endsWith(".example.com");
      if (m.isLiteral()) {
        assertThat(sb.toString()).as(s).isEqualTo(m.literal);
      }
    }
  }

  @Test
  @DisplayName("random garbage is a syntax error or valid, never another exception (RFC 7208 §7.3)")
  void parse_randomGarbage_onlySyntaxErrors() {
    Random r = new Random(4408);
    String alphabet = "%{}slodipvhcrtSLODIPVHCRTx0123456789r.-+,/_= \t\u00e9\u0000";
    int errors = 0;
    for (int n = 0; n < 50_000; n++) {
      StringBuilder sb = new StringBuilder();
      for (int k = r.nextInt(16); k > 0; k--) {
        sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      String s = sb.toString();
      for (MacroString.Context context : MacroString.Context.values()) {
        Throwable t =
            catchThrowable(
                () -> {
                  MacroString m = MacroString.parse(s, context);
                  m.expandTo(new StringBuilder(), RFC_EXAMPLE, "email.example.com");
                });
        if (t != null) {
          assertThat(t).as(s).isInstanceOf(SpfSyntaxException.class);
          errors++;
        }
      }
    }
    assertThat(errors).isPositive();
  }

  /** The transformation of §7.3 written the obvious way, as a reference. */
  private static String referenceTransform(String v, int keep, boolean reverse, String delims) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int k = 0; k < v.length(); k++) {
      if (delims.indexOf(v.charAt(k)) >= 0) {
        parts.add(v.substring(start, k));
        start = k + 1;
      }
    }
    parts.add(v.substring(start));
    if (reverse) {
      Collections.reverse(parts);
    }
    int n = keep == 0 || keep > parts.size() ? parts.size() : keep;
    return String.join(".", parts.subList(parts.size() - n, parts.size()));
  }

  @Test
  @DisplayName("transformers agree with a split/reverse/join reference (RFC 7208 §7.3)")
  void transform_randomValues_agreeWithReference() throws Exception {
    Random r = new Random(34);
    String alphabet = "ab1.-+,/_=";
    for (int n = 0; n < 50_000; n++) {
      StringBuilder v = new StringBuilder();
      for (int k = r.nextInt(12); k > 0; k--) {
        v.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      int keep = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(6);
      boolean reverse = r.nextBoolean();
      StringBuilder delims = new StringBuilder();
      for (char d : DELIMS.toCharArray()) {
        if (r.nextInt(3) == 0) {
          delims.append(d);
        }
      }
      String macro = "%{l" + (keep == 0 ? "" : keep) + (reverse ? "r" : "") + delims + "}";
      String value = v.toString();
      MacroString m = MacroString.parse(macro, MacroString.Context.MODIFIER);
      StringBuilder out = new StringBuilder();
      m.expandTo(out, (letter, domain) -> value, "x.example");
      String expected =
          referenceTransform(value, keep, reverse, delims.length() == 0 ? "." : delims.toString());
      if (!out.toString().equals(expected)) {
        assertThat(out.toString()).as("%s on '%s'", macro, value).isEqualTo(expected);
      }
    }
  }
}
