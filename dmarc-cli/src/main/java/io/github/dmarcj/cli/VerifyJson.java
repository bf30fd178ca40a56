// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dmarcj.dmarc.AppliedOverride;
import io.github.dmarcj.dmarc.DmarcOutcome;
import io.github.dmarcj.domain.PublicSuffixListVersion;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.verify.VerificationResult;
import java.util.Locale;

/**
 * The JSON form of a {@link VerificationResult} printed by {@code dmarc verify --json} and {@code
 * --batch}: results are the RFC keywords in lower case, absent values are {@code null}.
 */
final class VerifyJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private VerifyJson() {}

  static ObjectNode of(String id, VerificationResult r) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("id", id);
    SpfOutcome spf = r.spf();
    ObjectNode s = root.putObject("spf");
    s.put("result", spf.result().keyword());
    s.put("domain", spf.domain().isEmpty() ? null : spf.domain());
    s.put("scope", spf.scope().keyword());
    s.put("reason", spf.reason().orElse(null));
    ArrayNode dkim = root.putArray("dkim");
    for (DkimOutcome d : r.dkim()) {
      ObjectNode o = dkim.addObject();
      o.put("result", d.result().keyword());
      o.put("domain", emptyToNull(d.domain()));
      o.put("selector", emptyToNull(d.selector()));
      o.put("algorithm", emptyToNull(d.algorithm()));
      o.put("reason", d.reason().orElse(null));
    }
    DmarcOutcome o = r.dmarc();
    ObjectNode m = root.putObject("dmarc");
    m.put("result", o.result().keyword());
    m.put("fromDomain", o.fromDomain().map(x -> x.name()).orElse(null));
    m.put("policyDomain", o.policyDomain().map(x -> x.name()).orElse(null));
    m.put("policy", o.requestedPolicy().map(x -> x.keyword()).orElse(null));
    m.put("policyTag", o.policyTag().map(x -> x.keyword()).orElse(null));
    m.put("disposition", o.disposition().keyword());
    m.put("spfAligned", o.spfAligned());
    m.put("dkimAligned", o.dkimAligned());
    m.put("mode", o.mode().keyword());
    m.put("reason", o.reason().map(x -> x.name().toLowerCase(Locale.ROOT).replace('_', '-')).orElse(null));
    ArrayNode overrides = m.putArray("overrides");
    for (AppliedOverride a : o.overrides()) {
      ObjectNode x = overrides.addObject();
      x.put("type", a.reason().keyword());
      x.put("comment", a.comment());
    }
    if (o.publicSuffixList().isPresent()) {
      PublicSuffixListVersion v = o.publicSuffixList().get();
      ObjectNode psl = m.putObject("publicSuffixList");
      psl.put("source", v.source());
      psl.put("version", v.version().orElse(null));
      psl.put("sha256", v.sha256());
    } else {
      m.putNull("publicSuffixList");
    }
    root.put("authenticationResults", r.authenticationResults().value());
    return root;
  }

  static ObjectNode error(String id, String message) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("id", id);
    root.put("error", message);
    return root;
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
