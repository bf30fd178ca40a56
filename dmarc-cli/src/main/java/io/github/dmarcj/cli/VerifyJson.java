// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.dmarcj.dmarc.AppliedOverride;
import io.github.dmarcj.dmarc.DmarcOutcome;
import io.github.dmarcj.domain.PublicSuffixListVersion;
import io.github.dmarcj.result.ArcInstance;
import io.github.dmarcj.result.ArcOutcome;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.verify.VerificationResult;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The JSON form of a {@link VerificationResult} printed by {@code dmarc verify --json} and {@code
 * --batch}: results are the RFC keywords in lower case, absent values are {@code null}.
 */
final class VerifyJson {
  /**
   * Plain streaming JSON: reading requests and writing results needs no object mapping. Values are
   * written with {@link SafeText}'s escapes, so no control character reaches the output raw.
   */
  static final JsonFactory FACTORY = SafeText.jsonFactory();

  private VerifyJson() {}

  /** One line of JSON for {@code r}, written field by field. */
  static String of(@Nullable String id, VerificationResult r) {
    StringWriter w = new StringWriter(1024);
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("id", id);
      SpfOutcome spf = r.spf();
      g.writeObjectFieldStart("spf");
      g.writeStringField("result", spf.result().keyword());
      g.writeStringField("domain", emptyToNull(spf.domain()));
      g.writeStringField("scope", spf.scope().keyword());
      g.writeStringField("reason", spf.reason().orElse(null));
      g.writeEndObject();
      g.writeArrayFieldStart("dkim");
      for (DkimOutcome d : r.dkim()) {
        g.writeStartObject();
        g.writeStringField("result", d.result().keyword());
        g.writeStringField("domain", emptyToNull(d.domain()));
        g.writeStringField("selector", emptyToNull(d.selector()));
        g.writeStringField("algorithm", emptyToNull(d.algorithm()));
        g.writeStringField("reason", d.reasonKeyword().orElse(null));
        g.writeEndObject();
      }
      g.writeEndArray();
      DmarcOutcome o = r.dmarc();
      g.writeObjectFieldStart("dmarc");
      g.writeStringField("result", o.result().keyword());
      g.writeStringField("fromDomain", o.fromDomain().map(x -> x.name()).orElse(null));
      g.writeStringField("policyDomain", o.policyDomain().map(x -> x.name()).orElse(null));
      g.writeStringField("policy", o.requestedPolicy().map(x -> x.keyword()).orElse(null));
      g.writeStringField("policyTag", o.policyTag().map(x -> x.keyword()).orElse(null));
      g.writeStringField("disposition", o.disposition().keyword());
      g.writeBooleanField("spfAligned", o.spfAligned());
      g.writeBooleanField("dkimAligned", o.dkimAligned());
      g.writeStringField("mode", o.mode().keyword());
      g.writeStringField(
          "reason",
          o.reason().map(x -> x.name().toLowerCase(Locale.ROOT).replace('_', '-')).orElse(null));
      g.writeBooleanField("headerLimitExceeded", o.headerLimitExceeded());
      g.writeArrayFieldStart("overrides");
      for (AppliedOverride a : o.overrides()) {
        g.writeStartObject();
        g.writeStringField("type", a.reason().keyword());
        g.writeStringField("comment", a.comment());
        g.writeEndObject();
      }
      g.writeEndArray();
      Optional<PublicSuffixListVersion> list = o.publicSuffixList();
      if (list.isPresent()) {
        g.writeObjectFieldStart("publicSuffixList");
        g.writeStringField("source", list.get().source());
        g.writeStringField("version", list.get().version().orElse(null));
        g.writeStringField("sha256", list.get().sha256());
        g.writeEndObject();
      } else {
        g.writeNullField("publicSuffixList");
      }
      g.writeEndObject();
      writeArc(g, r.arc());
      g.writeStringField("authenticationResults", r.authenticationResults().value());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return w.toString();
  }

  /**
   * The {@code arc} object: result, reason, the instance a failure concerns, the number of sets,
   * {@code oldestPass}, and per set its sealer, {@code cv}, AMS and seal results and AAR.
   */
  static void writeArc(JsonGenerator g, ArcOutcome a) throws IOException {
    g.writeObjectFieldStart("arc");
    g.writeStringField("result", a.result().keyword());
    g.writeStringField("reason", a.reason().map(x -> x.keyword()).orElse(null));
    if (a.failedInstance().isPresent()) {
      g.writeNumberField("failedInstance", a.failedInstance().getAsInt());
    } else {
      g.writeNullField("failedInstance");
    }
    g.writeNumberField("sets", a.instanceCount());
    if (a.oldestPass().isPresent()) {
      g.writeNumberField("oldestPass", a.oldestPass().getAsInt());
    } else {
      g.writeNullField("oldestPass");
    }
    g.writeArrayFieldStart("instances");
    for (ArcInstance i : a.instances()) {
      g.writeStartObject();
      g.writeNumberField("i", i.instance());
      g.writeStringField("sealDomain", emptyToNull(i.sealDomain()));
      g.writeStringField("sealSelector", emptyToNull(i.sealSelector()));
      g.writeStringField("cv", emptyToNull(i.chainValidation()));
      g.writeStringField("ams", i.ams().result().keyword());
      g.writeStringField("amsReason", i.ams().reasonKeyword().orElse(null));
      g.writeStringField("seal", i.seal().result().keyword());
      g.writeStringField("sealReason", i.seal().reasonKeyword().orElse(null));
      g.writeStringField("authenticationResults", i.authenticationResults());
      g.writeStringField("remoteIp", i.remoteIp().orElse(null));
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** One line of JSON for a request that could not be verified. */
  static String error(@Nullable String id, String message) {
    StringWriter w = new StringWriter(128);
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeStringField("error", message);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /** One line of JSON for what became of one report at one destination. */
  static String deliveryOutcome(io.github.dmarcj.report.mail.DeliveryOutcome o) {
    StringWriter w = new StringWriter(160);
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("result", o.kind().keyword());
      g.writeStringField("policyDomain", o.policyDomain());
      g.writeStringField("reportId", o.reportId().orElse(null));
      g.writeStringField("destination", o.destination().orElse(null));
      g.writeStringField("detail", o.detail());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  private static @Nullable String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
