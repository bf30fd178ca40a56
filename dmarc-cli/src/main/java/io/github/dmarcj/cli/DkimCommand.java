// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dmarcj.dkim.DkimMessageVerifier;
import io.github.dmarcj.dkim.DkimSignatureResult;
import io.github.dmarcj.dkim.DkimVerificationResult;
import io.github.dmarcj.result.DkimResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dmarc dkim MESSAGE}: verify every DKIM-Signature of a message (RFC 6376). */
@Command(
    name = "dkim",
    mixinStandardHelpOptions = true,
    description = {
      "Verify the DKIM signatures of a message (RFC 6376, RFC 8301, RFC 8463) and print one line"
          + " per signature. The message is streamed, so size does not matter.",
      "MESSAGE is a file with CRLF line endings as received, or - for standard input.",
      "Values from the message and the DNS are printed with control characters escaped"
          + " (\\r, \\n, \\x1b, \\u202e, ...)."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:at least one signature passed",
      "1:no signature passed (or none present)",
      "2:usage error",
      "3:no pass and a key lookup failed temporarily",
      "4:the message could not be read"
    })
public final class DkimCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private ResolverOptions resolverOptions;

  @Parameters(index = "0", paramLabel = "MESSAGE", description = "Message file, or - for stdin.")
  private String message;

  @Option(
      names = "--now",
      paramLabel = "EPOCH",
      description =
          "Verify as of this time, in seconds since 1970 " + Epoch.RANGE + ", instead of now.")
  private @Nullable Long now;

  @Option(names = "--json", description = "Print the results as JSON.")
  private boolean json;

  @Option(
      names = "--allow-rsa-sha1",
      description = "Verify rsa-sha1 signatures (refused by default, RFC 8301).")
  private boolean allowRsaSha1;

  @Option(
      names = "--lf",
      description = "Treat bare LF line endings as CRLF (for files saved with LF).")
  private boolean lf;

  @Option(
      names = "--refuse-l",
      description = "Give 'policy' to signatures whose l= leaves content unsigned.")
  private boolean refuseL;

  @Override
  public Integer call() {
    Clock clock =
        now == null ? Clock.systemUTC() : Clock.fixed(Epoch.of(spec, "--now", now), ZoneOffset.UTC);
    DkimMessageVerifier verifier =
        DkimMessageVerifier.builder(resolverOptions.resolver())
            .clock(clock)
            .allowRsaSha1(allowRsaSha1)
            .normalizeBareLf(lf)
            .refuseUnsignedBodyTail(refuseL)
            .build();
    DkimVerificationResult report;
    try {
      report = MessageInput.verifyStreamed(message, verifier::verifyMessage);
    } catch (IOException io) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "dmarc dkim: cannot read " + SafeText.of(message) + ": " + MessageInput.problem(io));
      err.flush();
      return 4;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(toJson(report));
    } else if (report.signatures().isEmpty()) {
      out.println("dkim=none (no DKIM-Signature)");
    } else {
      for (DkimSignatureResult s : report.signatures()) {
        out.println(SafeText.of(line(s)));
      }
    }
    out.flush();
    if (report.hasPass()) {
      return 0;
    }
    return report.signatures().stream().anyMatch(s -> s.result() == DkimResult.TEMPERROR) ? 3 : 1;
  }

  /** One signature as one line, before escaping (the caller prints it through {@link SafeText}). */
  static String line(DkimSignatureResult s) {
    StringBuilder b = new StringBuilder();
    b.append("dkim=").append(s.result().keyword());
    b.append(" d=").append(s.domain().isEmpty() ? "-" : s.domain());
    b.append(" s=").append(s.selector().isEmpty() ? "-" : s.selector());
    b.append(" a=").append(s.algorithm().isEmpty() ? "-" : s.algorithm());
    s.identity().ifPresent(i -> b.append(" i=").append(i));
    b.append(" b=").append(s.signaturePrefix());
    b.append(" reason=").append(s.reason().keyword());
    if (s.keyBits() > 0) {
      b.append(" key-bits=").append(s.keyBits());
    }
    if (s.testing()) {
      b.append(" testing");
    }
    s.bodyLength().ifPresent(l -> b.append(" l=").append(l));
    if (s.unsignedBodyTail()) {
      b.append(" unsigned-tail");
    }
    return b.toString();
  }

  static String toJson(DkimVerificationResult report) {
    ObjectMapper m = SafeText.mapper();
    ObjectNode root = m.createObjectNode();
    root.put("summary", report.summary().keyword());
    ArrayNode arr = root.putArray("signatures");
    for (DkimSignatureResult s : report.signatures()) {
      ObjectNode o = arr.addObject();
      o.put("result", s.result().keyword());
      o.put("reason", s.reason().keyword());
      o.put("domain", s.domain());
      o.put("selector", s.selector());
      o.put("algorithm", s.algorithm());
      s.identity().ifPresent(i -> o.put("identity", i));
      o.put("signaturePrefix", s.signaturePrefix());
      o.put("keyBits", s.keyBits());
      o.put("testing", s.testing());
      s.bodyLength().ifPresent(l -> o.put("bodyLength", l));
      o.put("unsignedBodyTail", s.unsignedBodyTail());
      o.put("fieldIndex", s.fieldIndex());
    }
    try {
      return m.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e); // a tree of strings and numbers always writes
    }
  }
}
