// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import io.github.dmarcj.authres.AuthenticationResults;
import io.github.dmarcj.authres.MethodResult;
import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.TempFailReason;
import io.github.dmarcj.message.HeaderField;
import io.github.dmarcj.result.ArcInstance;
import io.github.dmarcj.result.ArcOutcome;
import io.github.dmarcj.result.ArcReason;
import io.github.dmarcj.result.ArcResult;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimReason;
import io.github.dmarcj.result.DkimResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The validation of one message's chain (RFC 8617 §5.2): the structure read first ({@link
 * ArcChain}); then, as the body is fed, every ARC-Message-Signature goes through DKIM's own {@link
 * Verification} (same canonicalization, body hashing, key lookup and checks), while the seal keys
 * are fetched; at the end the newest AMS decides, the older ones give {@code oldest-pass}, and
 * every seal is checked from the newest down.
 */
final class ArcVerification {
  private final DkimMessageVerifier dkim;
  private final List<HeaderField> fields;
  private final ArcChain chain;
  private final @Nullable Verification ams;

  /** The key lookup of each seal, instance {@code i} at index {@code i - 1}. */
  private final List<CompletionStage<DnsLookup<String>>> sealKeys = new ArrayList<>();

  ArcVerification(DkimMessageVerifier dkim, HeaderSection header, int maxSets) {
    this.dkim = dkim;
    this.fields = header.fields;
    this.chain = ArcChain.read(header.fields, header.truncated, maxSets, dkim.limits);
    if (chain.none || chain.failure != null) {
      this.ams = null;
      return;
    }
    java.util.Set<Integer> amsFields = new java.util.HashSet<>();
    for (int i = 1; i <= chain.count; i++) {
      amsFields.add(chain.ams[i]);
    }
    this.ams =
        new Verification(dkim, header, SignatureRecord.Kind.AMS, chain.count, amsFields::contains);
    Map<String, CompletionStage<DnsLookup<String>>> byName = new HashMap<>();
    for (int i = 1; i <= chain.count; i++) {
      ArcSeal s = chain.seals[i];
      String name = (s.selector + "._domainkey." + s.domain).toLowerCase(Locale.ROOT);
      sealKeys.add(byName.computeIfAbsent(name, dkim::keyLookup));
    }
  }

  void body(byte[] b, int off, int len) {
    if (ams != null) {
      ams.body(b, off, len);
    }
  }

  CompletionStage<ArcOutcome> finish() {
    if (chain.none) {
      return CompletableFuture.completedFuture(ArcOutcome.none());
    }
    if (chain.failure != null || ams == null) {
      ArcReason r = chain.failure == null ? ArcReason.INTERNAL_ERROR : chain.failure;
      return CompletableFuture.completedFuture(
          ArcOutcome.fail(r, chain.failedInstance, chain.count, List.of()));
    }
    CompletableFuture<?>[] keys = new CompletableFuture<?>[chain.count];
    for (int i = 1; i <= chain.count; i++) {
      keys[i - 1] =
          sealKeys
              .get(i - 1)
              .toCompletableFuture()
              .exceptionally(t -> DnsLookup.tempFail(TempFailReason.OTHER, String.valueOf(t)));
    }
    return ams.finish()
        .thenCombine(CompletableFuture.allOf(keys), (r, ignored) -> r)
        .thenApplyAsync(this::decide, dkim.executor)
        .exceptionally(t -> ArcOutcome.fail(ArcReason.INTERNAL_ERROR, 0, chain.count, List.of()));
  }

  /** Steps 4 to 7 of RFC 8617 §5.2, once every AMS result and seal key is there. */
  private ArcOutcome decide(DkimVerificationResult amsResults) {
    int n = chain.count;
    DkimOutcome[] amsOut = new DkimOutcome[n + 1];
    for (DkimSignatureResult r : amsResults.signatures()) {
      for (int i = 1; i <= n; i++) {
        if (chain.ams[i] == r.fieldIndex()) {
          amsOut[i] = r.toOutcome();
        }
      }
    }
    DkimOutcome[] sealOut = new DkimOutcome[n + 1];
    ArcReason failure = null;
    int failedAt = 0;
    // Step 4: the newest AMS must verify.
    DkimOutcome newest = amsOut[n];
    if (newest == null || newest.result() != DkimResult.PASS) {
      failure =
          newest != null && newest.result() == DkimResult.TEMPERROR
              ? ArcReason.DNS_TEMPFAIL
              : ArcReason.AMS_FAILED;
      failedAt = n;
    }
    // Step 5: oldest-pass, the lowest instance from which every AMS up to N still verifies.
    int oldestPass = 0;
    for (int i = n - 1; i >= 1 && failure == null; i--) {
      if (amsOut[i] == null || amsOut[i].result() != DkimResult.PASS) {
        oldestPass = i + 1;
        break;
      }
    }
    // Step 6: every seal, from the newest down.
    for (int i = n; i >= 1 && failure == null; i--) {
      sealOut[i] = checkSeal(i, sealKeys.get(i - 1).toCompletableFuture().join());
      if (sealOut[i].result() != DkimResult.PASS) {
        failure =
            sealOut[i].result() == DkimResult.TEMPERROR
                ? ArcReason.DNS_TEMPFAIL
                : ArcReason.SEAL_FAILED;
        failedAt = i;
      }
    }
    List<ArcInstance> instances = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      instances.add(instance(i, amsOut[i], sealOut[i]));
    }
    if (failure != null) {
      return ArcOutcome.fail(failure, failedAt, n, instances);
    }
    return new ArcOutcome(
        ArcResult.PASS,
        Optional.empty(),
        OptionalInt.empty(),
        n,
        OptionalInt.of(oldestPass),
        instances);
  }

  /** The seal of instance {@code k} against the key records at its selector (RFC 8617 §5.1.2). */
  private DkimOutcome checkSeal(int k, DnsLookup<String> lookup) {
    ArcSeal seal = chain.seals[k];
    if (lookup instanceof DnsLookup.TempFail) {
      return sealOutcome(seal, DkimReason.DNS_TEMPFAIL, false);
    }
    List<String> txts = lookup.recordsOrEmpty();
    if (txts.isEmpty()) {
      return sealOutcome(seal, DkimReason.KEY_NOT_FOUND, false);
    }
    ByteBuf data = null;
    DkimReason first = null;
    boolean testing = false;
    int tried = 0;
    for (String txt : txts) {
      if (tried++ == DkimMessageVerifier.MAX_KEY_RECORDS_PER_SIGNATURE) {
        break;
      }
      KeyRecord key = dkim.keyRecord(txt);
      // NullAway: a seal without an error has its algorithm and signature.
      @SuppressWarnings("NullAway")
      DkimReason problem = Verification.keyProblem(seal.algorithm, key, true, dkim.limits);
      if (problem == null) {
        if (data == null) {
          data = sealHashInput(k);
        }
        @SuppressWarnings("NullAway")
        boolean ok = Crypto.verify(seal.algorithm, key, data.buf, data.len, seal.signature);
        if (ok) {
          return sealOutcome(seal, DkimReason.VERIFIED, key.testing);
        }
        problem = DkimReason.SIGNATURE_MISMATCH;
      }
      if (first == null) {
        first = problem;
        testing = key.testing;
      }
    }
    return sealOutcome(seal, first == null ? DkimReason.KEY_NOT_FOUND : first, testing);
  }

  /**
   * The data seal {@code k} signs (RFC 8617 §5.1.1): for each instance 1..k in order, its AAR, AMS
   * and AS in relaxed header canonicalization, the AS of instance {@code k} last, with its {@code
   * b=} value removed and no final CRLF.
   */
  ByteBuf sealHashInput(int k) {
    ByteBuf out = new ByteBuf(2048);
    for (int i = 1; i <= k; i++) {
      for (int idx : new int[] {chain.aar[i], chain.ams[i], chain.as[i]}) {
        byte[] raw = fields.get(idx).raw();
        int len = HeaderCanonicalizer.withoutLineEnding(raw, raw.length);
        if (i == k && idx == chain.as[i]) {
          ArcSeal s = chain.seals[i];
          byte[] stripped = new byte[len - (s.bValueEnd - s.bValueStart)];
          System.arraycopy(raw, 0, stripped, 0, s.bValueStart);
          System.arraycopy(raw, s.bValueEnd, stripped, s.bValueStart, len - s.bValueEnd);
          HeaderCanonicalizer.canonicalize(
              DkimCanonicalization.RELAXED, stripped, 0, stripped.length, out, false, false);
        } else {
          HeaderCanonicalizer.canonicalize(
              DkimCanonicalization.RELAXED, raw, 0, len, out, true, false);
        }
      }
    }
    return out;
  }

  private static DkimOutcome sealOutcome(ArcSeal s, DkimReason reason, boolean testing) {
    return new DkimOutcome(
        reason.result(),
        s.domain,
        s.selector,
        s.algorithmText,
        Optional.empty(),
        s.signaturePrefix(),
        testing,
        reason == DkimReason.VERIFIED ? Optional.empty() : Optional.of(reason));
  }

  private ArcInstance instance(int i, @Nullable DkimOutcome ams, @Nullable DkimOutcome seal) {
    ArcSeal s = chain.seals[i];
    String aar = ArcChain.aarPayload(fields.get(chain.aar[i]));
    return new ArcInstance(
        i,
        s.domain,
        s.selector,
        s.cv.toLowerCase(Locale.ROOT),
        ams != null ? ams : notChecked(),
        seal != null ? seal : notChecked(),
        aar,
        remoteIp(aar));
  }

  private static DkimOutcome notChecked() {
    return new DkimOutcome(
        DkimResult.NONE, "", "", "", Optional.empty(), "", false, Optional.empty());
  }

  /** The client address a sealer recorded: {@code smtp.remote-ip} or {@code smtp.client-ip}. */
  static Optional<String> remoteIp(String aarPayload) {
    Optional<AuthenticationResults> ar = AuthenticationResults.parse(aarPayload);
    if (ar.isEmpty()) {
      return Optional.empty();
    }
    for (MethodResult m : ar.get().results()) {
      Optional<String> ip =
          m.property("smtp", "remote-ip").or(() -> m.property("smtp", "client-ip"));
      if (ip.isPresent()) {
        return ip;
      }
    }
    return Optional.empty();
  }
}
