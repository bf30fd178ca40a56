// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dmarcj.dmarc.DmarcMode;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.verify.MessageAuthenticator;
import io.github.dmarcj.verify.VerificationResult;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Compares dmarcj with mailauth 4.13.3 on 480 recorded scenarios (resources/crosscheck, made by
 * dmarc-bench/mailauth/crosscheck.js), in both DMARC modes. Every difference must be one of the
 * known, explained ones (docs/crosscheck-mailauth.md); a new difference, or a known one that
 * disappears, fails the case.
 */
final class CrossCheckMailauthTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> FROM =
      Map.of("org", "example.com", "sub", "news.example.com", "nx", "ghost.example.com");

  @TestFactory
  Stream<DynamicTest> crossCheck_mailauthScenarios_sameOrExplained() throws Exception {
    JsonNode data = read("crosscheck/scenarios.json");
    Map<String, JsonNode> theirs = new HashMap<>();
    for (JsonNode r : read("crosscheck/mailauth-results.json")) {
      theirs.put(r.get("id").asText(), r);
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (DmarcMode mode : DmarcMode.values()) {
      for (JsonNode s : data.get("scenarios")) {
        String id = s.get("id").asText();
        tests.add(
            DynamicTest.dynamicTest(
                id + " [" + mode.keyword() + "] (RFC 9989 §4.4, §4.10.1 and §5.3.5)",
                () -> compare(data.get("sharedDns"), s, theirs.get(id), mode)));
      }
    }
    return tests.stream();
  }

  /**
   * DNS from the cross-check data, { name: { TXT: [[strings]], A: [addr] } }, with the semantics of
   * the resolver given to mailauth: records for a name with the type, NODATA for a name without it
   * (or an empty non-terminal), NXDOMAIN otherwise.
   */
  private static InMemoryDnsResolver.Builder zone(JsonNode zone) {
    InMemoryDnsResolver.Builder b = InMemoryDnsResolver.builder();
    zone.properties()
        .forEach(
            e -> {
              String name = e.getKey();
              b.exists(name);
              for (JsonNode rr : e.getValue().path("TXT")) {
                List<String> strings = new ArrayList<>();
                rr.forEach(x -> strings.add(x.asText()));
                b.txt(name, strings.toArray(String[]::new));
              }
              for (JsonNode x : e.getValue().path("A")) {
                b.a(name, x.asText());
              }
            });
    return b;
  }

  private static void compare(JsonNode sharedDns, JsonNode s, JsonNode m, DmarcMode mode)
      throws Exception {
    String id = s.get("id").asText();
    InMemoryDnsResolver dns =
        zone(sharedDns).txt("_dmarc.example.com", s.get("dmarcRecord").asText()).build();
    MessageAuthenticator a =
        MessageAuthenticator.builder(dns)
            .authservId("mx.example.org")
            .dmarcMode(mode)
            .clock(Clock.fixed(Instant.ofEpochSecond(s.get("now").asLong()), ZoneOffset.UTC))
            .build();
    SmtpEnvelope env =
        SmtpEnvelope.of(
            InetAddress.getByName(s.get("ip").asText()),
            s.get("helo").asText(),
            s.get("mailFrom").asText());
    VerificationResult r =
        a.verify(env, s.get("message").asText().getBytes(StandardCharsets.UTF_8));

    // SPF: same result for the same domain.
    assertThat(r.spf().result().keyword()).as(id + " spf").isEqualTo(m.at("/spf/result").asText());
    assertThat(r.spf().domain()).as(id + " spf domain").isEqualTo(m.at("/spf/domain").asText());

    // DKIM: same signatures. Two known differences: a body altered after signing is "fail" for us
    // (RFC 6376 §6.1.3, RFC 8601 §2.7.1) and "neutral" for mailauth; a key name that does not
    // exist is "permerror" for us (RFC 6376 §6.1.2 "no key for signature", RFC 8601 §2.7.1) and
    // "neutral" for mailauth.
    String from = FROM.get(id.substring(0, id.indexOf('-')));
    assertThat(r.dkim()).as(id + " dkim count").hasSize(m.get("dkim").size());
    for (int i = 0; i < r.dkim().size(); i++) {
      DkimOutcome ours = r.dkim().get(i);
      JsonNode their = m.get("dkim").get(i);
      assertThat(ours.domain()).isEqualTo(their.get("domain").asText());
      assertThat(ours.selector()).isEqualTo(their.get("selector").asText());
      String expected = their.get("result").asText();
      if (id.contains("dkim_broken") && !from.equals("ghost.example.com")) {
        assertThat(expected).as(id + " mailauth on a changed body").isEqualTo("neutral");
        expected = "fail";
      } else if (ours.domain().equals("ghost.example.com")) {
        assertThat(expected).as(id + " mailauth without a key").isEqualTo("neutral");
        expected = "permerror";
      }
      assertThat(ours.result().keyword()).as(id + " dkim result").isEqualTo(expected);
    }

    // Alignment: mailauth 4.13.3 falls back to relaxed comparison when adkim=s or aspf=s
    // (lib/tools.js getAlignment), so a domain that only shares the Organizational Domain counts
    // as aligned there and not here (RFC 7489 §3.1.1-3.1.2, RFC 9989 §4.4).
    JsonNode md = m.get("dmarc");
    boolean strictSpf = id.contains("aspf_s");
    boolean strictDkim = id.contains("adkim_s");
    boolean spfExpected =
        md.get("spfAligned").asBoolean() && !(strictSpf && !r.spf().domain().equals(from));
    boolean dkimExpected =
        md.get("dkimAligned").asBoolean()
            && !(strictDkim
                && r.dkim().stream()
                    .noneMatch(
                        d -> d.result().keyword().equals("pass") && d.domain().equals(from)));
    assertThat(r.dmarc().spfAligned()).as(id + " spf aligned").isEqualTo(spfExpected);
    assertThat(r.dmarc().dkimAligned()).as(id + " dkim aligned").isEqualTo(dkimExpected);
    String dmarcExpected = md.get("result").asText();
    if (spfExpected != md.get("spfAligned").asBoolean()
        || dkimExpected != md.get("dkimAligned").asBoolean()) {
      dmarcExpected = spfExpected || dkimExpected ? "pass" : "fail";
    }
    assertThat(r.dmarc().result().keyword()).as(id + " dmarc").isEqualTo(dmarcExpected);

    // Requested policy: mailauth knows p and sp only. Under RFC 9989 a non-existent subdomain
    // takes np (RFC 9989 §4.7, §4.10.1); where the record sets np differently from sp, the
    // answers differ by design.
    String ours = r.dmarc().requestedPolicy().map(p -> p.keyword()).orElse(null);
    String theirPolicy = md.get("policy").asText();
    boolean npDiffers = mode == DmarcMode.RFC9989 && id.startsWith("nx-split");
    if (npDiffers) {
      assertThat(ours).as(id + " np under RFC 9989").isEqualTo("none");
      assertThat(theirPolicy).as(id + " mailauth sp").isEqualTo("quarantine");
    } else {
      assertThat(ours).as(id + " policy").isEqualTo(theirPolicy);
    }
  }

  private static JsonNode read(String resource) throws Exception {
    try (InputStream in = CrossCheckMailauthTest.class.getResourceAsStream("/" + resource)) {
      assertThat(in).as(resource).isNotNull();
      return JSON.readTree(in);
    }
  }
}
