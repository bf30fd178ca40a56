// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.dns.RecordType;
import io.github.dmarcj.dns.RecordingDnsResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.verify.MessageAuthenticator;
import io.github.dmarcj.verify.VerificationResult;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The DNS work one message can cause, with every input the sender controls at its worst: an SPF
 * record that uses all ten DNS terms on ten MX names each, eleven DKIM signatures with their own
 * selectors, a From domain deep below a domain without records, and a policy record that lists
 * sixteen external report hosts of each kind. The documented bound (docs/security.md) is checked
 * against what actually reaches the resolver.
 */
final class CostBoundsTest {
  /** SPF: 1 TXT + 10 terms x (1 MX + 10 A) + 1 exp; DKIM: 10; DMARC: tree walk 8 + existence 3. */
  static final int DOCUMENTED_BOUND_WITHOUT_ALIGNMENT_WALKS = 112 + 10 + 8 + 3;

  @Test
  void worstCaseSender_staysWithinTheDocumentedQueryBound() throws Exception {
    InMemoryDnsResolver.Builder zone = InMemoryDnsResolver.builder();
    StringBuilder spf = new StringBuilder("v=spf1");
    for (int t = 0; t < 12; t++) {
      String host = "m" + t + ".evil.example";
      spf.append(" mx:").append(host);
      for (int i = 0; i < 10; i++) {
        String mx = "mx" + i + "." + host;
        zone.mx(host, i, mx).a(mx, "198.51.100." + (i + 1));
      }
    }
    zone.txt("evil.example", spf.append(" -all").toString());
    StringBuilder rua = new StringBuilder();
    StringBuilder ruf = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      rua.append(i == 0 ? "" : ",").append("mailto:a@h").append(i).append(".collector.example");
      ruf.append(i == 0 ? "" : ",").append("mailto:f@k").append(i).append(".collector.example");
    }
    zone.txt("_dmarc.bank.example", "v=DMARC1; p=reject; np=reject; rua=" + rua + "; ruf=" + ruf);
    StringBuilder message = new StringBuilder();
    for (int s = 0; s < 11; s++) {
      message
          .append("DKIM-Signature: v=1; a=rsa-sha256; d=evil.example; s=sel")
          .append(s)
          .append("; h=from; bh=AAAA; b=AAAA\r\n");
    }
    message.append("From: ceo@a.b.c.d.e.f.g.h.i.j.bank.example\r\n\r\nbody\r\n");
    RecordingDnsResolver dns = new RecordingDnsResolver(zone.build());
    MessageAuthenticator a = MessageAuthenticator.builder(dns).authservId("mx.example.org").build();
    VerificationResult r =
        a.verify(
            SmtpEnvelope.of(InetAddress.getByName("192.0.2.66"), "evil.example", "x@evil.example"),
            message.toString().getBytes(StandardCharsets.ISO_8859_1));

    assertThat(r.spf().result()).isEqualTo(SpfResult.PERMERROR); // the 11th DNS term
    assertThat(r.dkim()).hasSize(11);
    assertThat(r.dkim().get(10).result()).isEqualTo(DkimResult.NEUTRAL); // over the signature limit
    assertThat(r.disposition()).isEqualTo(DmarcPolicy.REJECT);
    Map<RecordType, Long> byType =
        dns.queries().stream()
            .collect(
                Collectors.groupingBy(RecordingDnsResolver.Query::type, Collectors.counting()));
    long total = dns.queries().size();
    System.out.println("[CostBoundsTest] queries " + total + " " + byType);
    assertThat(dns.queries()).noneMatch(q -> q.name().contains("._report._dmarc."));
    assertThat(dns.queries().stream().filter(q -> q.name().contains("._domainkey.")).count())
        .isEqualTo(10);
    assertThat(total).isLessThanOrEqualTo(DOCUMENTED_BOUND_WITHOUT_ALIGNMENT_WALKS);
  }
}
