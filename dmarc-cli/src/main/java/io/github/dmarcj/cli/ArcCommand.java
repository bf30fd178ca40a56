// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import io.github.dmarcj.dkim.ArcChainVerifier;
import io.github.dmarcj.dkim.DkimMessageVerifier;
import io.github.dmarcj.result.ArcInstance;
import io.github.dmarcj.result.ArcOutcome;
import io.github.dmarcj.result.ArcReason;
import io.github.dmarcj.result.ArcResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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

/** {@code dmarc arc MESSAGE}: validate a message's Authenticated Received Chain (RFC 8617). */
@Command(
    name = "arc",
    mixinStandardHelpOptions = true,
    description = {
      "Validate the ARC chain of a message (RFC 8617 §5.2) and print the chain status, then one"
          + " line per ARC Set: instance, sealer d= and s=, cv, the ARC-Message-Signature and"
          + " ARC-Seal results, and what the set's ARC-Authentication-Results recorded.",
      "MESSAGE is a file with CRLF line endings as received, or - for standard input.",
      "Values from the message and the DNS are printed with control characters escaped."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:the chain passes",
      "1:the chain fails, or the message has no ARC Set",
      "2:usage error",
      "3:the chain fails because a key lookup failed temporarily",
      "4:the message could not be read"
    })
public final class ArcCommand implements Callable<Integer> {

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

  @Option(
      names = "--max-sets",
      paramLabel = "N",
      description =
          "Most ARC Sets a chain may have, 1 to 50 (default "
              + ArcChainVerifier.DEFAULT_MAX_SETS
              + ").")
  private int maxSets = ArcChainVerifier.DEFAULT_MAX_SETS;

  @Option(names = "--json", description = "Print the result as JSON.")
  private boolean json;

  @Override
  public Integer call() {
    Clock clock =
        now == null ? Clock.systemUTC() : Clock.fixed(Epoch.of(spec, "--now", now), ZoneOffset.UTC);
    ArcChainVerifier verifier;
    try {
      verifier =
          ArcChainVerifier.builder(
                  DkimMessageVerifier.builder(resolverOptions.resolver()).clock(clock).build())
              .maxSets(maxSets)
              .build();
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    ArcOutcome chain;
    try {
      chain = MessageInput.verifyStreamed(message, verifier::verifyMessage);
    } catch (IOException io) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "dmarc arc: cannot read " + SafeText.of(message) + ": " + MessageInput.problem(io));
      err.flush();
      return 4;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(toJson(chain));
    } else {
      out.println(SafeText.of(summary(chain)));
      for (ArcInstance i : chain.instances()) {
        out.println(SafeText.of(line(i)));
      }
    }
    out.flush();
    if (chain.result() == ArcResult.PASS) {
      return 0;
    }
    return chain.reason().filter(r -> r == ArcReason.DNS_TEMPFAIL).isPresent() ? 3 : 1;
  }

  /** The chain in one line: {@code arc=pass sets=3 oldest-pass=0 sealers=a,b,c}. */
  static String summary(ArcOutcome a) {
    StringBuilder b = new StringBuilder("arc=").append(a.result().keyword());
    if (a.result() == ArcResult.NONE) {
      return b.append(" (no ARC Set)").toString();
    }
    b.append(" sets=").append(a.instanceCount());
    a.oldestPass().ifPresent(n -> b.append(" oldest-pass=").append(n));
    a.reason().ifPresent(r -> b.append(" reason=").append(r.keyword()));
    a.failedInstance().ifPresent(n -> b.append(" at-i=").append(n));
    if (!a.instances().isEmpty()) {
      b.append(" sealers=").append(String.join(",", a.sealers()));
    }
    return b.toString();
  }

  /** One ARC Set as one line, before escaping. */
  static String line(ArcInstance i) {
    StringBuilder b = new StringBuilder();
    b.append("i=").append(i.instance());
    b.append(" d=").append(i.sealDomain().isEmpty() ? "-" : i.sealDomain());
    b.append(" s=").append(i.sealSelector().isEmpty() ? "-" : i.sealSelector());
    b.append(" cv=").append(i.chainValidation().isEmpty() ? "-" : i.chainValidation());
    b.append(" ams=").append(i.ams().result().keyword());
    i.ams().reasonKeyword().ifPresent(r -> b.append(" (").append(r).append(')'));
    b.append(" seal=").append(i.seal().result().keyword());
    i.seal().reasonKeyword().ifPresent(r -> b.append(" (").append(r).append(')'));
    i.remoteIp().ifPresent(ip -> b.append(" remote-ip=").append(ip));
    b.append(" aar: ").append(i.authenticationResults());
    return b.toString();
  }

  static String toJson(ArcOutcome a) {
    StringWriter w = new StringWriter(512);
    try (com.fasterxml.jackson.core.JsonGenerator g = VerifyJson.FACTORY.createGenerator(w)) {
      g.writeStartObject();
      VerifyJson.writeArc(g, a);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return w.toString();
  }
}
