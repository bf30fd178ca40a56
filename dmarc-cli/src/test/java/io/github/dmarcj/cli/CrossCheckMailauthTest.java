// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dmarcj.dmarc.DmarcMode;
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
                id + " [" + mode.keyword() + "] (DMARC-12, DMARC-18..20, DKIM-23)",
                () -> compare(data.get("sharedDns"), s, theirs.get(id), mode)));
      }
    }
    return tests.stream();
  }

  private static void compare(JsonNode sharedDns, JsonNode s, JsonNode m, DmarcMode mode)
      throws Exception {
    String id = s.get("id").asText();
    JsonZoneResolver dns =
        new JsonZoneResolver().add(sharedDns).txt("_dmarc.example.com", s.get("dmarcRecord").asText());
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
    assertThat(r.spf().result().keyword()).as("spf").isEqualTo(m.at("/spf/result").asText());
    assertThat(r.spf().domain()).as("spf domain").isEqualTo(m.at("/spf/domain").asText());

    // DKIM: same signatures; a body altered after signing is "fail" for us (RFC 6376 §6.1.3,
    // RFC 8601 §2.7.1) and "neutral" for mailauth.
    assertThat(r.dkim()).as("dkim count").hasSize(m.get("dkim").size());
    for (int i = 0; i < r.dkim().size(); i++) {
      DkimOutcome ours = r.dkim().get(i);
      JsonNode their = m.get("dkim").get(i);
      assertThat(ours.domain()).isEqualTo(their.get("domain").asText());
      assertThat(ours.selector()).isEqualTo(their.get("selector").asText());
      String expected = their.get("result").asText();
      if (id.contains("dkim_broken")) {
        assertThat(expected).as("mailauth on a changed body").isEqualTo("neutral");
        expected = "fail";
      }
      assertThat(ours.result().keyword()).as("dkim result").isEqualTo(expected);
    }

    // DMARC: same result and alignment.
    JsonNode md = m.get("dmarc");
    assertThat(r.dmarc().result().keyword()).as("dmarc").isEqualTo(md.get("result").asText());
    assertThat(r.dmarc().spfAligned()).as("spf aligned").isEqualTo(md.get("spfAligned").asBoolean());
    assertThat(r.dmarc().dkimAligned()).as("dkim aligned").isEqualTo(md.get("dkimAligned").asBoolean());

    // Requested policy: mailauth knows p and sp only. Under RFC 9989 a non-existent subdomain
    // takes np (RFC 9989 §4.7, §4.10.1); where the record sets np differently from sp, the
    // answers differ by design.
    String ours = r.dmarc().requestedPolicy().map(p -> p.keyword()).orElse(null);
    String theirPolicy = md.get("policy").asText();
    boolean npDiffers = mode == DmarcMode.RFC9989 && id.startsWith("nx-split");
    if (npDiffers) {
      assertThat(ours).as("np under RFC 9989").isEqualTo("none");
      assertThat(theirPolicy).as("mailauth sp").isEqualTo("quarantine");
    } else {
      assertThat(ours).as("policy").isEqualTo(theirPolicy);
    }
  }

  private static JsonNode read(String resource) throws Exception {
    try (InputStream in = CrossCheckMailauthTest.class.getResourceAsStream("/" + resource)) {
      assertThat(in).as(resource).isNotNull();
      return JSON.readTree(in);
    }
  }
}
