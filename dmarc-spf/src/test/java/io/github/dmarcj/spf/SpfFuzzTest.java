// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.dns.RecordingDnsResolver;
import io.github.dmarcj.fuzz.FuzzBounds;
import io.github.dmarcj.result.SpfProblem;
import io.github.dmarcj.result.SpfResult;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.Address;

/**
 * Fuzzes SPF: record parsing, macro strings, and check_host() over DNS data from the fuzzer.
 *
 * <p>The check_host() input is text, one item a line: {@code ip ADDRESS}, {@code helo NAME}, {@code
 * from MAILBOX}, then records as {@code NAME TXT text}, {@code NAME A|AAAA address}, {@code NAME MX
 * preference exchange}, {@code NAME PTR target}, {@code NAME TIMEOUT}. Lines that do not read are
 * skipped. Seeds are the scenarios of the RFC 7208 test suite written this way.
 */
@Tag("fuzz")
final class SpfFuzzTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  /** Macro values of RFC 7208 §7.4's example. */
  private static final MacroString.Values VALUES =
      (letter, domain) ->
          switch (letter) {
            case 's' -> "strong-bad@email.example.com";
            case 'l' -> "strong-bad";
            case 'o', 'd' -> domain;
            case 'i', 'c' -> "192.0.2.3";
            case 'v' -> "in-addr";
            case 'h' -> "mx.example.org";
            case 'p' -> "unknown";
            case 'r' -> "receiver.example";
            case 't' -> "1700000000";
            default -> throw new AssertionError("macro letter " + letter);
          };

  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void parse_anyRecord_recordOrSyntaxError(byte[] input) {
    String txt = new String(input, StandardCharsets.UTF_8);
    if (!SpfRecord.isSpf1(txt)) {
      return;
    }
    SpfRecord rec =
        FuzzBounds.allocationBounded(input.length, 64, () -> SpfRecord.parseOrInvalid(txt));
    if (rec.problem != null) {
      assertThat(rec.problem).isIn(SpfProblem.SYNTAX_ERROR, SpfProblem.DUPLICATE_MODIFIER);
      assertThat(rec.problemDetail).isNotEmpty();
      return;
    }
    for (MacroString m : new MacroString[] {rec.redirect, rec.exp}) {
      if (m != null) {
        expandBounded(m, txt.length());
      }
    }
  }

  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void parse_anyMacroString_expandsOrSyntaxError(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    for (MacroString.Context context : MacroString.Context.values()) {
      MacroString m;
      try {
        m = MacroString.parse(text, context);
      } catch (SpfSyntaxException e) {
        assertThat(e.getMessage()).isNotEmpty();
        continue;
      }
      String out = expandBounded(m, text.length());
      if (m.isLiteral()) {
        assertThat(out).isEqualTo(m.literal);
      }
    }
  }

  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void check_fuzzedDns_resultWithinLookupLimits(byte[] input) throws Exception {
    Scenario s = Scenario.read(new String(input, StandardCharsets.UTF_8));
    RecordingDnsResolver dns = new RecordingDnsResolver(s.dns.build());
    SpfChecker checker =
        SpfChecker.builder(dns)
            .clock(CLOCK)
            .receiver("mx.example.net")
            .timeBudget(Duration.ofSeconds(5))
            .build();
    for (SpfRequest request :
        new SpfRequest[] {
          SpfRequest.mailFrom(s.ip, s.from, s.helo), SpfRequest.helo(s.ip, s.helo)
        }) {
      dns.clear();
      SpfEvaluation e = checker.check(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(e.result()).isNotNull();
      assertThat(e.dnsLookups())
          .as("DNS-querying terms")
          .isLessThanOrEqualTo(SpfChecker.DEFAULT_MAX_DNS_LOOKUPS + 1);
      assertThat(e.voidLookups()).isLessThanOrEqualTo(SpfChecker.DEFAULT_MAX_VOID_LOOKUPS + 1);
      // 10 terms, each at most 10 MX or PTR names with an address query each, plus the
      // record queries and an explanation.
      assertThat(dns.count()).as("queries: %s", dns.describe()).isLessThanOrEqualTo(300);
      if (e.result() == SpfResult.PERMERROR || e.result() == SpfResult.TEMPERROR) {
        assertThat(e.problem()).as("an error names its problem").isPresent();
      }
      if (e.problem().isPresent()) {
        assertThat(e.problem().get().result()).isEqualTo(e.result());
      }
      assertThat(e.toOutcome()).isNotNull();
      assertThat(e.receivedSpf()).isNotEmpty().doesNotContain("\r", "\n");
      assertThat(e.receivedSpfHeader()).isNotEmpty();
      assertThat(e.authResultsFragment()).isNotEmpty();
    }
  }

  private static String expandBounded(MacroString m, int inputLength) {
    StringBuilder sb = new StringBuilder();
    FuzzBounds.allocationBounded(
        inputLength, 1024, () -> m.expandTo(sb, VALUES, "email.example.com"));
    return sb.toString();
  }

  /** A check_host() question and the DNS data it runs against, read from fuzzer text. */
  record Scenario(InetAddress ip, String helo, String from, InMemoryDnsResolver.Builder dns) {
    static Scenario read(String text) {
      InetAddress ip = literal("192.0.2.3");
      String helo = "mail.example.net";
      String from = "user@example.com";
      InMemoryDnsResolver.Builder dns = InMemoryDnsResolver.builder();
      int lines = 0;
      for (String line : text.split("\n", -1)) {
        if (++lines > 400) {
          break;
        }
        String[] w = line.split(" ", 3);
        try {
          if (w.length == 2 && w[0].equals("ip")) {
            InetAddress a = literal(w[1]);
            ip = a != null ? a : ip;
          } else if (w.length == 2 && w[0].equals("helo")) {
            helo = w[1];
          } else if (w[0].equals("from")) {
            from = w.length == 1 ? "" : line.substring(5);
          } else if (w.length == 2 && w[1].equals("TIMEOUT")) {
            dns.tempFail(w[0]);
          } else if (w.length == 3) {
            switch (w[1]) {
              case "TXT" -> dns.txt(w[0], w[2]);
              case "A", "AAAA" -> {
                InetAddress a = literal(w[2]);
                if (a != null && (a.getAddress().length == 4) == w[1].equals("A")) {
                  if (w[1].equals("A")) {
                    dns.a(w[0], a.getHostAddress());
                  } else {
                    dns.aaaa(w[0], a.getHostAddress());
                  }
                }
              }
              case "MX" -> {
                String[] px = w[2].split(" ", 2);
                if (px.length == 2 && px[0].matches("[0-9]{1,5}")) {
                  dns.mx(w[0], Integer.parseInt(px[0]), px[1]);
                }
              }
              case "PTR" -> dns.ptr(w[0], w[2]);
              default -> {}
            }
          }
        } catch (IllegalArgumentException e) {
          // a name the resolver refuses: skip the line
        }
      }
      return new Scenario(ip, helo, from, dns);
    }

    /** An address literal, never a name lookup; null if {@code s} is not one. */
    private static InetAddress literal(String s) {
      try {
        return Address.getByAddress(s);
      } catch (IOException e) {
        return null;
      }
    }
  }
}
