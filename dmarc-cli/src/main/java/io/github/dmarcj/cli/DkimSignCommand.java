// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import io.github.dmarcj.dkim.DkimAlgorithm;
import io.github.dmarcj.dkim.DkimCanonicalization;
import io.github.dmarcj.dkim.DkimSigner;
import io.github.dmarcj.dkim.DkimSigningKey;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dmarc dkim-sign}: add a DKIM-Signature to a message (RFC 6376 §5, RFC 8463). */
@Command(
    name = "dkim-sign",
    mixinStandardHelpOptions = true,
    description = {
      "Sign a message with DKIM and write the signed message to standard output.",
      "The key is PEM (PKCS#1 RSA, PKCS#8 RSA or Ed25519) or a base64 raw Ed25519 seed.",
      "The message is read whole, at most " + MessageInput.MAX_MIB + " MiB."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:signed", "2:usage error (bad key, options or message)"})
public final class DkimSignCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "KEY.pem",
      description = "Private key file.")
  private Path key;

  @Option(
      names = "--domain",
      required = true,
      paramLabel = "D",
      description = "Signing domain (d=).")
  private String domain;

  @Option(names = "--selector", required = true, paramLabel = "S", description = "Selector (s=).")
  private String selector;

  @Option(
      names = "--algorithm",
      paramLabel = "ALG",
      description = "rsa-sha256 or ed25519-sha256; must match the key (default: from the key).")
  private @Nullable String algorithm;

  @Option(
      names = "--headers",
      split = ",",
      paramLabel = "NAME",
      description =
          "Header fields to sign, comma-separated (default: From, To, Subject, Date, ...).")
  private @Nullable List<String> headers;

  @Option(
      names = {"-c", "--canonicalization"},
      paramLabel = "H/B",
      defaultValue = "relaxed/relaxed",
      description = "Header/body canonicalization (default: ${DEFAULT-VALUE}).")
  private String canonicalization;

  @Option(
      names = "--over-sign",
      description = "Sign each header once more than present (RFC 6376 §8.15).")
  private boolean overSign;

  @Option(
      names = "--expire",
      paramLabel = "SECONDS",
      description = "Add x= this many seconds after t= (1 to " + Epoch.MAX + ").")
  private @Nullable Long expire;

  @Option(
      names = "--identity",
      paramLabel = "AUID",
      description = "Add i= (must be within --domain).")
  private @Nullable String identity;

  @Option(
      names = "--now",
      paramLabel = "EPOCH",
      description =
          "Signing time for t=, in seconds since 1970 " + Epoch.RANGE + " (default: now).")
  private @Nullable Long now;

  @Parameters(
      index = "0",
      paramLabel = "MESSAGE",
      description = "Message file, or - for stdin (at most " + MessageInput.MAX_MIB + " MiB).")
  private String message;

  @Override
  public Integer call() {
    Instant signingTime = now == null ? null : Epoch.of(spec, "--now", now);
    if (expire != null && (expire < 1 || expire > Epoch.MAX)) {
      throw usage("--expire must be 1 to " + Epoch.MAX + " seconds, was " + expire);
    }
    DkimSigningKey k = readKey(spec, key);
    if (algorithm != null) {
      DkimAlgorithm wanted =
          DkimAlgorithm.fromKeyword(algorithm)
              .filter(a -> a != DkimAlgorithm.RSA_SHA1)
              .orElseThrow(
                  () ->
                      usage("unknown algorithm " + algorithm + " (rsa-sha256 or ed25519-sha256)"));
      if (wanted != k.algorithm()) {
        throw usage("the key signs " + k.algorithm().keyword() + ", not " + algorithm);
      }
    }
    String[] c = canonicalization.split("/", -1);
    if (c.length > 2) {
      throw usage(
          "--canonicalization is HEADER/BODY, e.g. relaxed/simple, was " + canonicalization);
    }
    DkimCanonicalization hc = canon(c[0]);
    DkimCanonicalization bc = c.length > 1 ? canon(c[1]) : DkimCanonicalization.SIMPLE;
    DkimSigner signer;
    try {
      DkimSigner.Builder b =
          DkimSigner.builder(k, domain, selector).canonicalization(hc, bc).overSign(overSign);
      if (headers != null) {
        b.headers(headers);
      }
      if (expire != null) {
        b.expiry(Duration.ofSeconds(expire));
      }
      if (identity != null) {
        b.identity(identity);
      }
      if (signingTime != null) {
        b.clock(Clock.fixed(signingTime, ZoneOffset.UTC));
      }
      signer = b.build();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    byte[] msg;
    try {
      msg = MessageInput.read(message);
    } catch (IOException e) {
      throw usage("cannot read " + message + ": " + MessageInput.problem(e));
    }
    byte[] signed;
    try {
      signed = signer.sign(msg);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    PrintStream out = System.out;
    out.write(signed, 0, signed.length);
    out.flush();
    return 0;
  }

  private DkimCanonicalization canon(String s) {
    return DkimCanonicalization.fromKeyword(s)
        .orElseThrow(() -> usage("unknown canonicalization " + s + " (simple or relaxed)"));
  }

  /**
   * Reads a PEM private key file; anything wrong with it is a usage error naming the file.
   *
   * @param spec the command, for the error
   * @param key the file
   * @return the key
   */
  static DkimSigningKey readKey(CommandSpec spec, Path key) {
    try {
      if (Files.isDirectory(key)) {
        throw new IOException("is a folder");
      }
      return DkimSigningKey.fromPem(Files.readString(key, StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(), "cannot read key " + key + ": " + MessageInput.problem(e));
    } catch (RuntimeException e) {
      // IllegalArgumentException from the parser, or whatever a malformed PEM makes it throw
      throw new ParameterException(
          spec.commandLine(), "cannot use key " + key + ": " + SafeText.message(e));
    }
  }

  private ParameterException usage(@Nullable String msg) {
    return new ParameterException(spec.commandLine(), msg);
  }
}
