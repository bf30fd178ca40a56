// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.message.HeaderField;
import io.github.dmarcj.result.DkimReason;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The verification of one message: signatures parsed, key lookups started, body hashed as it is
 * fed, then each signature checked when its key arrives (RFC 6376 §6.1).
 */
final class Verification {
  private final DkimMessageVerifier verifier;
  private final Limits limits;
  private final List<HeaderField> fields;
  private final List<SigState> states = new ArrayList<>();
  private final List<BodyHasher> hashers = new ArrayList<>();

  /** Per-signature state. */
  private static final class SigState {
    final SignatureRecord rec;
    @Nullable DkimReason early;
    @Nullable Group group;
    BodyHasher.@Nullable Sink sink;
    byte @Nullable [] bodyDigest;
    @Nullable CompletionStage<DnsLookup<String>> key;

    SigState(SignatureRecord rec) {
      this.rec = rec;
    }
  }

  /** Every DKIM-Signature of {@code header}, up to the verifier's signature limit. */
  Verification(DkimMessageVerifier verifier, HeaderSection header) {
    this(verifier, header, SignatureRecord.Kind.DKIM, verifier.limits.maxSignatures, idx -> true);
  }

  /**
   * The signature fields of {@code kind} at the header indices {@code include} accepts, at most
   * {@code maxChecked} of them checked: DKIM-Signatures for DKIM, ARC-Message-Signatures for an ARC
   * chain (RFC 8617 §5.2 steps 4 and 5), which go through exactly the same canonicalization, body
   * hashing, key lookup and signature check.
   */
  Verification(
      DkimMessageVerifier verifier,
      HeaderSection header,
      SignatureRecord.Kind kind,
      int maxChecked,
      java.util.function.IntPredicate include) {
    this.verifier = verifier;
    this.limits = verifier.limits;
    this.fields = header.fields;
    long now = verifier.clock.instant().getEpochSecond();
    Map<String, CompletionStage<DnsLookup<String>>> lookups = new HashMap<>();
    Map<String, Group> groups = new HashMap<>();
    int checked = 0;
    for (int idx = 0; idx < fields.size(); idx++) {
      HeaderField f = fields.get(idx);
      if (!f.hasName(kind.fieldName()) || !include.test(idx)) {
        continue;
      }
      SignatureRecord rec = SignatureRecord.parse(f, idx, limits, kind);
      SigState st = new SigState(rec);
      states.add(st);
      if (header.truncated) {
        st.early = DkimReason.MALFORMED_MESSAGE;
        continue;
      }
      if (checked >= maxChecked) {
        st.early = DkimReason.NOT_CHECKED_LIMIT;
        continue;
      }
      checked++;
      if (rec.error != null) {
        st.early = rec.error;
        continue;
      }
      // Time checks need no key (x= and t=, RFC 6376 §3.5).
      if (limits.rejectExpired && rec.expiry >= 0 && rec.expiry < now - limits.clockSkewSeconds) {
        st.early = DkimReason.EXPIRED;
        continue;
      }
      if (limits.rejectFutureTimestamp
          && rec.timestamp >= 0
          && rec.timestamp > now + limits.clockSkewSeconds) {
        st.early = DkimReason.FUTURE_TIMESTAMP;
        continue;
      }
      String name = rec.selector + "._domainkey." + rec.domain;
      st.key = lookups.computeIfAbsent(name.toLowerCase(Locale.ROOT), verifier::keyLookup);
      // Signatures with the same body canonicalization and hash share one pass; each distinct
      // l= gets its own digest within it.
      // NullAway: rec passed validation (no early reason), which sets algorithm and bodyCanon.
      @SuppressWarnings("NullAway")
      Group g =
          groups.computeIfAbsent(
              rec.bodyCanon + "/" + rec.algorithm.jcaDigest(), k -> new Group(rec.bodyCanon));
      BodyHasher.Sink sink = null;
      for (BodyHasher.Sink s : g.sinks) {
        if (s.limit == rec.bodyLength) {
          sink = s;
        }
      }
      if (sink == null) {
        sink = new BodyHasher.Sink(Crypto.digest(rec.algorithm), rec.bodyLength);
        g.sinks.add(sink);
      }
      st.group = g;
      st.sink = sink;
    }
    for (Group g : groups.values()) {
      g.hasher =
          BodyHasher.create(g.canon, g.sinks.toArray(new BodyHasher.Sink[0]), limits.fixBareLf);
      hashers.add(g.hasher);
    }
  }

  /** Signatures sharing one body canonicalization and hash. */
  private static final class Group {
    final DkimCanonicalization canon;
    final List<BodyHasher.Sink> sinks = new ArrayList<>(2);
    @Nullable BodyHasher hasher;

    Group(DkimCanonicalization canon) {
      this.canon = canon;
    }
  }

  /** Feeds body bytes to every hasher. */
  void body(byte[] b, int off, int len) {
    if (len <= 0) {
      return;
    }
    for (int i = 0; i < hashers.size(); i++) {
      hashers.get(i).update(b, off, len);
    }
  }

  /** Ends the body and checks every signature as its key arrives. */
  // NullAway: every signature without an early result had its key lookup started.
  @SuppressWarnings("NullAway")
  CompletionStage<DkimVerificationResult> finish() {
    for (BodyHasher h : hashers) {
      h.finish();
    }
    Map<BodyHasher.Sink, byte[]> digests = new HashMap<>();
    @SuppressWarnings("unchecked")
    CompletableFuture<DkimSignatureResult>[] results =
        (CompletableFuture<DkimSignatureResult>[]) new CompletableFuture<?>[states.size()];
    for (int i = 0; i < states.size(); i++) {
      SigState st = states.get(i);
      if (st.early != null) {
        results[i] = CompletableFuture.completedFuture(result(st, st.early, null));
        continue;
      }
      st.bodyDigest = digests.computeIfAbsent(st.sink, s -> s.digest.digest());
      results[i] =
          st.key
              .exceptionally(
                  t ->
                      DnsLookup.tempFail(
                          io.github.dmarcj.dns.TempFailReason.OTHER, String.valueOf(t)))
              .thenApplyAsync(lookup -> checkContained(st, lookup), verifier.executor)
              .exceptionally(t -> result(st, DkimReason.INTERNAL_ERROR, null))
              .toCompletableFuture();
    }
    return CompletableFuture.allOf(results)
        .thenApply(
            ignored -> {
              List<DkimSignatureResult> out = new ArrayList<>(results.length);
              for (CompletableFuture<DkimSignatureResult> r : results) {
                out.add(r.join());
              }
              return new DkimVerificationResult(out);
            });
  }

  /** {@link #check}, with any unexpected failure kept to this one signature. */
  private DkimSignatureResult checkContained(SigState st, DnsLookup<String> lookup) {
    try {
      return check(st, lookup);
    } catch (RuntimeException | StackOverflowError e) {
      return result(st, DkimReason.INTERNAL_ERROR, null);
    }
  }

  /** RFC 6376 §6.1.2 and §6.1.3 for one signature with its key lookup. */
  // NullAway: txts is not empty, so the loop sets firstUsable or firstError (or returns a pass).
  @SuppressWarnings("NullAway")
  private DkimSignatureResult check(SigState st, DnsLookup<String> lookup) {
    if (lookup instanceof DnsLookup.TempFail) {
      return result(st, DkimReason.DNS_TEMPFAIL, null);
    }
    List<String> txts = lookup.recordsOrEmpty();
    if (txts.isEmpty()) {
      return result(st, DkimReason.KEY_NOT_FOUND, null);
    }
    DkimSignatureResult firstUsable = null;
    DkimSignatureResult firstError = null;
    int tried = 0;
    for (String txt : txts) {
      if (tried++ == DkimMessageVerifier.MAX_KEY_RECORDS_PER_SIGNATURE) {
        break; // each try may cost an RSA verification with a key the sender chose
      }
      KeyRecord key = verifier.keyRecord(txt);
      DkimSignatureResult r = checkWithKey(st, key);
      if (r.isPass()) {
        return r;
      }
      if (key.error == null || key.error == DkimReason.KEY_REVOKED) {
        if (firstUsable == null) {
          firstUsable = r;
        }
      } else if (firstError == null) {
        firstError = r;
      }
    }
    return firstUsable != null ? firstUsable : firstError;
  }

  // NullAway: only signatures that passed SignatureRecord's validation (algorithm,
  // canonicalization,
  // b= and bh= all set) get here, after their group's hasher and body digest were set in finish().
  @SuppressWarnings("NullAway")
  private DkimSignatureResult checkWithKey(SigState st, KeyRecord key) {
    SignatureRecord rec = st.rec;
    DkimAlgorithm a = rec.algorithm;
    DkimReason unusable = keyProblem(a, key, rec.identityDomain().equals(rec.domain), limits);
    if (unusable != null) {
      return result(st, unusable, key);
    }
    long canonicalLength = st.group.hasher.canonicalLength();
    if (rec.bodyLength >= 0 && rec.bodyLength > canonicalLength) {
      return result(st, DkimReason.BODY_LENGTH_EXCEEDS_BODY, key);
    }
    if (!MessageDigest.isEqual(st.bodyDigest, rec.bodyHash)) {
      return result(st, DkimReason.BODY_HASH_MISMATCH, key);
    }
    ByteBuf data = headerHashInput(rec);
    if (!Crypto.verify(a, key, data.buf, data.len, rec.signature)) {
      return result(st, DkimReason.SIGNATURE_MISMATCH, key);
    }
    if (limits.refuseUnsignedTail && rec.bodyLength >= 0 && canonicalLength > rec.bodyLength) {
      return result(st, DkimReason.UNSIGNED_BODY_TAIL, key);
    }
    return result(st, DkimReason.VERIFIED, key);
  }

  /**
   * Why {@code key} cannot check a signature of algorithm {@code a} (RFC 6376 §6.1.2, RFC 8301
   * §3.2), or {@code null} when it can; shared by DKIM signatures and ARC seals. {@code
   * identityIsDomain} says whether the signature's identity domain is exactly its {@code d=} (for a
   * key with {@code t=s}).
   */
  static @Nullable DkimReason keyProblem(
      DkimAlgorithm a, KeyRecord key, boolean identityIsDomain, Limits limits) {
    if (key.error != DkimReason.KEY_REVOKED
        && !key.keyType.isEmpty()
        && !key.keyType.equals(a.keyType())) {
      return DkimReason.KEY_TYPE_MISMATCH;
    }
    if (key.error != null) {
      return key.error;
    }
    if (!key.hashes.isEmpty() && !key.hashes.contains(a.hashName())) {
      return DkimReason.KEY_HASH_NOT_ALLOWED;
    }
    if (!key.serviceEmail) {
      return DkimReason.KEY_SERVICE_NOT_EMAIL;
    }
    if (key.strict && !identityIsDomain) {
      return DkimReason.KEY_STRICT_IDENTITY;
    }
    // The key must be of the algorithm's type: an RSA key for rsa-*, an Ed25519 key for ed25519.
    if (a == DkimAlgorithm.ED25519_SHA256 ? key.edKey == null : key.rsaKey == null) {
      return DkimReason.KEY_TYPE_MISMATCH;
    }
    if (key.rsaKey != null) {
      if (key.keyBits < limits.minRsaBits) {
        return DkimReason.KEY_TOO_SMALL;
      }
      if (key.keyBits > limits.maxRsaBits) {
        return DkimReason.KEY_TOO_LARGE;
      }
      if (key.exponentBits > DkimMessageVerifier.MAX_RSA_EXPONENT_BITS) {
        return DkimReason.KEY_EXPONENT_TOO_LARGE;
      }
    }
    return null;
  }

  /** The header hash input of {@code rec} (RFC 6376 §3.7 and §5.4.2). */
  // NullAway: rec passed validation, which sets headerCanon.
  @SuppressWarnings("NullAway")
  ByteBuf headerHashInput(SignatureRecord rec) {
    byte[] raw = rec.field.raw();
    int len = HeaderCanonicalizer.withoutLineEnding(raw, raw.length);
    byte[] stripped = new byte[len - (rec.bValueEnd - rec.bValueStart)];
    System.arraycopy(raw, 0, stripped, 0, rec.bValueStart);
    System.arraycopy(raw, rec.bValueEnd, stripped, rec.bValueStart, len - rec.bValueEnd);
    return HeaderHashInput.build(
        fields, rec.signedHeaders, rec.headerCanon, stripped, limits.fixBareLf);
  }

  private static DkimSignatureResult result(
      SigState st, DkimReason reason, @Nullable KeyRecord key) {
    SignatureRecord rec = st.rec;
    // NullAway: a signature with a group has its hasher (set once all groups are known).
    @SuppressWarnings("NullAway")
    boolean tail =
        rec.bodyLength >= 0
            && st.group != null
            && st.group.hasher.canonicalLength() > rec.bodyLength
            && st.bodyDigest != null;
    return new DkimSignatureResult(
        reason.result(),
        reason,
        rec.domain,
        rec.selector,
        rec.algorithmText,
        Optional.ofNullable(rec.identity),
        rec.signaturePrefix(),
        key == null ? 0 : key.keyBits,
        key != null && key.testing,
        rec.bodyLength >= 0 ? OptionalLong.of(rec.bodyLength) : OptionalLong.empty(),
        tail,
        rec.field == null ? -1 : rec.index);
  }
}
