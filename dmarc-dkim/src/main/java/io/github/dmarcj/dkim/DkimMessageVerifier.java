// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.TempFailReason;
import io.github.dmarcj.message.ParsedHeader;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimReason;
import io.github.dmarcj.spi.DkimVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Verifies every DKIM-Signature of a message (RFC 6376 §6, RFC 8301, RFC 8463). Build one with
 * {@link #builder(DnsResolver)} and share it: it is immutable and thread-safe.
 *
 * <p>The body is canonicalized and hashed as it arrives, so a message given as an {@link
 * InputStream} is never held in memory; signatures that share body canonicalization, hash and
 * {@code l=} share one pass. Key records are fetched concurrently through the {@link DnsResolver},
 * one query per selector and domain per message (put a caching resolver in front for reuse across
 * messages). Nothing the sender or the DNS does makes a method throw or a stage complete
 * exceptionally: every signature gets a {@link DkimSignatureResult} with a typed {@link
 * DkimReason}.
 *
 * <pre>{@code
 * DkimMessageVerifier verifier = DkimMessageVerifier.builder(resolver)
 *     .clock(Clock.systemUTC())
 *     .build();
 * DkimVerificationResult report = verifier.verifyMessage(messageBytes).toCompletableFuture().join();
 * }</pre>
 *
 * @since 0.1.0
 *     <p>(Over 500 lines on purpose: the builder documents every limit and policy switch with its
 *     default, and the key lookup that DKIM signatures, ARC-Message-Signatures and ARC-Seals share
 *     lives here with the key cache.)
 */
public final class DkimMessageVerifier implements DkimVerifier {
  /**
   * Default for {@link Builder#maxSignatures(int)}: signatures checked per message (RFC 6376 §6.1).
   */
  public static final int DEFAULT_MAX_SIGNATURES = 10;

  /** Default for {@link Builder#maxSignedHeaders(int)}: names in one {@code h=}. */
  public static final int DEFAULT_MAX_SIGNED_HEADERS = 100;

  /** Default for {@link Builder#maxSignatureFieldBytes(int)}: size of one DKIM-Signature field. */
  public static final int DEFAULT_MAX_SIGNATURE_FIELD_BYTES = 16 * 1024;

  /** Default for {@link Builder#maxHeaderBytes(int)}: size of the header block. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 1024 * 1024;

  /** Default for {@link Builder#minRsaKeyBits(int)} (RFC 8301 §3.2). */
  public static final int DEFAULT_MIN_RSA_KEY_BITS = 1024;

  /** Default for {@link Builder#maxRsaKeyBits(int)}. */
  public static final int DEFAULT_MAX_RSA_KEY_BITS = 8192;

  /**
   * Longest RSA public exponent accepted, in bits. RFC 8301 keys use 65537 (17 bits); a long
   * exponent makes each verification as slow as signing, so longer ones are refused with {@link
   * DkimReason#KEY_EXPONENT_TOO_LARGE}. The same bound the JDK and OpenSSL apply to keys over 3072
   * bits.
   */
  public static final int MAX_RSA_EXPONENT_BITS = 64;

  /**
   * Most TXT records at one selector that are tried as keys for one signature (RFC 6376 §6.1.2 lets
   * a verifier try each); the rest are ignored. With {@link #DEFAULT_MAX_SIGNATURES} this bounds
   * the public-key operations of one message at 40.
   */
  public static final int MAX_KEY_RECORDS_PER_SIGNATURE = 4;

  /** Default for {@link Builder#keyLookupTimeout(Duration)}. */
  public static final Duration DEFAULT_KEY_LOOKUP_TIMEOUT = Duration.ofSeconds(20);

  /** Default for {@link Builder#clockSkew(Duration)}, in seconds. */
  public static final long DEFAULT_CLOCK_SKEW_SECONDS = 300;

  static final int CHUNK = 64 * 1024;

  /** Distinct key-record texts whose parse is kept. */
  static final int KEY_RECORD_CACHE_SIZE = 4096;

  final DnsResolver resolver;
  final Clock clock;
  final Executor executor;
  final Limits limits;
  final long keyLookupTimeoutMillis;

  /**
   * Parsed key records keyed on their exact TXT text, which fully determines the parse (the key
   * decoded once, see {@link KeyRecord}). Bounded; the DNS layer decides how long a text is served.
   */
  final Cache<String, KeyRecord> keyRecordCache =
      Caffeine.newBuilder().maximumSize(KEY_RECORD_CACHE_SIZE).build();

  private DkimMessageVerifier(Builder b) {
    this.resolver = b.resolver;
    this.clock = b.clock;
    this.executor = b.executor;
    this.limits =
        new Limits(
            b.maxSignatures,
            b.maxSignedHeaders,
            b.maxSignatureFieldBytes,
            b.maxHeaderBytes,
            b.minRsaKeyBits,
            b.maxRsaKeyBits,
            b.allowRsaSha1,
            b.requireFromSigned,
            b.refuseUnsignedBodyTail,
            b.rejectExpired,
            b.rejectFutureTimestamp,
            b.clockSkew.toSeconds(),
            b.normalizeBareLf);
    this.keyLookupTimeoutMillis = b.keyLookupTimeout.toMillis();
  }

  /**
   * {@return a builder that looks keys up through {@code resolver}}
   *
   * @param resolver the resolver for key records
   */
  public static Builder builder(DnsResolver resolver) {
    return new Builder(resolver);
  }

  /**
   * Core's contract: one outcome per DKIM-Signature field, in header order.
   *
   * @param message the raw message as received
   */
  @Override
  public CompletionStage<List<DkimOutcome>> verify(byte[] message) {
    return verifyMessage(message).thenApply(DkimVerificationResult::outcomes);
  }

  /**
   * Verifies a message held in an array.
   *
   * @param message the message as received
   * @return a stage that completes with one result per signature
   */
  public CompletionStage<DkimVerificationResult> verifyMessage(byte[] message) {
    Objects.requireNonNull(message, "message");
    return verifyMessage(message, 0, message.length);
  }

  /**
   * Verifies the message in {@code message[offset..offset+length)}.
   *
   * @param message the array holding the message
   * @param offset the index of the message's first byte
   * @param length the message's length in bytes
   * @return a stage that completes with one result per signature
   */
  public CompletionStage<DkimVerificationResult> verifyMessage(
      byte[] message, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, message.length);
    HeaderSection h = HeaderSection.parse(message, offset, length, limits.maxHeaderBytes);
    Verification v = new Verification(this, h);
    v.body(message, offset + h.bodyOffset, length - h.bodyOffset);
    return v.finish();
  }

  /**
   * Verifies the message between the buffer's position and limit; the buffer is not changed.
   *
   * @param message the buffer holding the message
   * @return a stage that completes with one result per signature
   */
  public CompletionStage<DkimVerificationResult> verifyMessage(ByteBuffer message) {
    Objects.requireNonNull(message, "message");
    if (message.hasArray()) {
      return verifyMessage(
          message.array(), message.arrayOffset() + message.position(), message.remaining());
    }
    try {
      return verifyMessage(new ByteBufferInputStream(message.duplicate()));
    } catch (IOException e) {
      throw new AssertionError("reading a ByteBuffer does not fail", e);
    }
  }

  /**
   * Verifies a message read from {@code in} to its end, in chunks: only the header block (up to
   * {@link Builder#maxHeaderBytes(int)}) and one chunk of body are held in memory. The stream is
   * read on the calling thread and not closed; the stage completes when the keys have arrived.
   *
   * @param in the stream the message is read from
   * @return a stage that completes with one result per signature
   * @throws IOException if reading {@code in} fails
   */
  public CompletionStage<DkimVerificationResult> verifyMessage(InputStream in) throws IOException {
    Objects.requireNonNull(in, "in");
    HeaderSection.Prefix prefix = HeaderSection.read(in, limits.maxHeaderBytes, CHUNK);
    HeaderSection h = HeaderSection.parse(prefix.bytes, 0, prefix.length, limits.maxHeaderBytes);
    Verification v = new Verification(this, h);
    if (!h.truncated) {
      v.body(prefix.bytes, h.bodyOffset, prefix.length - h.bodyOffset);
      byte[] buf = prefix.bytes.length >= CHUNK ? prefix.bytes : new byte[CHUNK];
      int n;
      while ((n = in.read(buf, 0, buf.length)) >= 0) {
        v.body(buf, 0, n);
      }
    }
    return v.finish();
  }

  /**
   * Core's streaming contract: key lookups start now, the body is canonicalized and hashed as it is
   * fed, and only one chunk of it is held at a time. Body bytes fed after a header that a limit cut
   * are ignored (every signature then gets {@link DkimReason#MALFORMED_MESSAGE}).
   */
  @Override
  public DkimVerifier.Session start(ParsedHeader header) {
    Objects.requireNonNull(header, "header");
    HeaderSection h = HeaderSection.of(header, limits.maxHeaderBytes);
    Verification v = new Verification(this, h);
    return new DkimVerifier.Session() {
      @Override
      public void body(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (!h.truncated) {
          v.body(b, off, len);
        }
      }

      @Override
      public CompletionStage<List<DkimOutcome>> finish() {
        return v.finish().thenApply(DkimVerificationResult::outcomes);
      }
    };
  }

  /**
   * Starts the lookup of the key records at {@code name} ({@code <s>._domainkey.<d>}): a stage that
   * never completes exceptionally and ends within the {@linkplain Builder#keyLookupTimeout key
   * lookup timeout} ({@code TempFail} then). Used for DKIM signatures, ARC-Message-Signatures and
   * ARC-Seals alike.
   */
  CompletionStage<DnsLookup<String>> keyLookup(String name) {
    try {
      // A copy: the resolver's future may be shared (a cache), and must not be completed here.
      return resolver
          .txt(name)
          .toCompletableFuture()
          .copy()
          .orTimeout(keyLookupTimeoutMillis, TimeUnit.MILLISECONDS)
          .exceptionally(
              t ->
                  DnsLookup.tempFail(
                      unwrap(t) instanceof TimeoutException
                          ? TempFailReason.TIMEOUT
                          : TempFailReason.OTHER,
                      String.valueOf(t)));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          DnsLookup.tempFail(TempFailReason.OTHER, String.valueOf(e)));
    }
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while (c instanceof CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /** The parsed key record for a TXT string: from the cache, or parsed (and cached) now. */
  KeyRecord keyRecord(String txt) {
    return keyRecordCache.get(txt, KeyRecord::parse);
  }

  /** Configuration of a {@link DkimMessageVerifier}; every setting has a documented default. */
  public static final class Builder {
    private final DnsResolver resolver;
    private Clock clock = Clock.systemUTC();
    private Executor executor = Runnable::run;
    private int maxSignatures = DEFAULT_MAX_SIGNATURES;
    private int maxSignedHeaders = DEFAULT_MAX_SIGNED_HEADERS;
    private int maxSignatureFieldBytes = DEFAULT_MAX_SIGNATURE_FIELD_BYTES;
    private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
    private int minRsaKeyBits = DEFAULT_MIN_RSA_KEY_BITS;
    private int maxRsaKeyBits = DEFAULT_MAX_RSA_KEY_BITS;
    private boolean allowRsaSha1;
    private boolean requireFromSigned = true;
    private boolean refuseUnsignedBodyTail;
    private boolean rejectExpired = true;
    private boolean rejectFutureTimestamp = true;
    private Duration clockSkew = Duration.ofSeconds(DEFAULT_CLOCK_SKEW_SECONDS);
    private boolean normalizeBareLf;
    private Duration keyLookupTimeout = DEFAULT_KEY_LOOKUP_TIMEOUT;

    private Builder(DnsResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * The clock for {@code t=} and {@code x=}; default {@link Clock#systemUTC()}.
     *
     * @param clock the clock for {@code t=} and {@code x=}
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where the signature checks run once their key has arrived; default: the thread that completes
     * the key lookup (or the caller's, when the key is already there).
     *
     * @param executor the executor for signature checks
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Most signatures checked per message, default {@value #DEFAULT_MAX_SIGNATURES}; the rest get
     * {@link DkimReason#NOT_CHECKED_LIMIT}.
     *
     * @param n the most signatures checked
     * @return this builder
     */
    public Builder maxSignatures(int n) {
      this.maxSignatures = positive(n, "maximum signatures");
      return this;
    }

    /**
     * Most names in {@code h=}, default {@value #DEFAULT_MAX_SIGNED_HEADERS}.
     *
     * @param n the most names in {@code h=}
     * @return this builder
     */
    public Builder maxSignedHeaders(int n) {
      this.maxSignedHeaders = positive(n, "maximum signed headers");
      return this;
    }

    /**
     * Largest DKIM-Signature field in bytes, default {@value #DEFAULT_MAX_SIGNATURE_FIELD_BYTES}.
     *
     * @param n the largest field size in bytes
     * @return this builder
     */
    public Builder maxSignatureFieldBytes(int n) {
      this.maxSignatureFieldBytes = positive(n, "maximum signature field size");
      return this;
    }

    /**
     * Largest header block in bytes, default {@value #DEFAULT_MAX_HEADER_BYTES}.
     *
     * @param n the largest header block in bytes
     * @return this builder
     */
    public Builder maxHeaderBytes(int n) {
      this.maxHeaderBytes = positive(n, "maximum header size");
      return this;
    }

    /**
     * Smallest RSA key that can pass, default {@value #DEFAULT_MIN_RSA_KEY_BITS} (RFC 8301 §3.2);
     * smaller keys give {@link DkimReason#KEY_TOO_SMALL}.
     *
     * @param bits the smallest RSA key size that can pass
     * @return this builder
     */
    public Builder minRsaKeyBits(int bits) {
      this.minRsaKeyBits = positive(bits, "minimum RSA key size");
      return this;
    }

    /**
     * Largest RSA key accepted, default {@value #DEFAULT_MAX_RSA_KEY_BITS}; larger keys give {@link
     * DkimReason#KEY_TOO_LARGE} without any RSA computation.
     *
     * @param bits the largest RSA key size accepted
     * @return this builder
     */
    public Builder maxRsaKeyBits(int bits) {
      this.maxRsaKeyBits = positive(bits, "maximum RSA key size");
      return this;
    }

    /**
     * Whether {@code rsa-sha1} signatures are verified at all; default false, as RFC 8301 §3.1
     * requires ({@link DkimReason#RSA_SHA1_REFUSED}). Enable only for legacy mail.
     *
     * @param allow whether to verify {@code rsa-sha1} signatures
     * @return this builder
     */
    public Builder allowRsaSha1(boolean allow) {
      this.allowRsaSha1 = allow;
      return this;
    }

    /**
     * Whether {@code h=} must list From (RFC 6376 §5.4); default true.
     *
     * @param require whether From must be signed
     * @return this builder
     */
    public Builder requireFromSigned(boolean require) {
      this.requireFromSigned = require;
      return this;
    }

    /**
     * Whether a signature whose {@code l=} leaves part of the body unsigned is refused with result
     * {@code policy} ({@link DkimReason#UNSIGNED_BODY_TAIL}; RFC 6376 §8.2); default false (it
     * passes, and the result is flagged).
     *
     * @param refuse whether to refuse a partly signed body
     * @return this builder
     */
    public Builder refuseUnsignedBodyTail(boolean refuse) {
      this.refuseUnsignedBodyTail = refuse;
      return this;
    }

    /**
     * Whether an {@code x=} in the past fails the signature ({@link DkimReason#EXPIRED}); default
     * true.
     *
     * @param reject whether an expired signature fails
     * @return this builder
     */
    public Builder rejectExpired(boolean reject) {
      this.rejectExpired = reject;
      return this;
    }

    /**
     * Whether a {@code t=} in the future fails the signature; default true.
     *
     * @param reject whether a signature from the future fails
     * @return this builder
     */
    public Builder rejectFutureTimestamp(boolean reject) {
      this.rejectFutureTimestamp = reject;
      return this;
    }

    /**
     * Tolerance for {@code t=} and {@code x=}, default {@value #DEFAULT_CLOCK_SKEW_SECONDS} s.
     *
     * @param skew the tolerance
     * @return this builder
     */
    public Builder clockSkew(Duration skew) {
      Objects.requireNonNull(skew, "skew");
      if (skew.isNegative()) {
        throw new IllegalArgumentException("clock skew must not be negative, was " + skew);
      }
      this.clockSkew = skew;
      return this;
    }

    /**
     * Whether a bare LF counts as CRLF (RFC 6376 §3.8 leaves this to the verifier); default false:
     * the bytes are hashed exactly as received.
     *
     * @param normalize whether a bare LF counts as CRLF
     * @return this builder
     */
    public Builder normalizeBareLf(boolean normalize) {
      this.normalizeBareLf = normalize;
      return this;
    }

    /**
     * Longest wait for one key record, default 20 s; a lookup that takes longer gives its own
     * signature {@code temperror} ({@link DkimReason#DNS_TEMPFAIL}) and no other, so a sender whose
     * DNS never answers cannot make the whole message wait or turn other signatures into {@code
     * temperror}.
     *
     * @param timeout the longest wait for one key record
     * @return this builder
     */
    public Builder keyLookupTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("key lookup timeout must be positive, was " + timeout);
      }
      this.keyLookupTimeout = timeout;
      return this;
    }

    /** {@return the verifier} */
    public DkimMessageVerifier build() {
      if (minRsaKeyBits > maxRsaKeyBits) {
        throw new IllegalStateException(
            "minimum RSA key size " + minRsaKeyBits + " exceeds the maximum " + maxRsaKeyBits);
      }
      return new DkimMessageVerifier(this);
    }

    private static int positive(int n, String what) {
      if (n <= 0) {
        throw new IllegalArgumentException(what + " must be positive, was " + n);
      }
      return n;
    }
  }

  /** Reads a ByteBuffer without changing the caller's position. */
  private static final class ByteBufferInputStream extends InputStream {
    private final ByteBuffer b;

    ByteBufferInputStream(ByteBuffer b) {
      this.b = b;
    }

    @Override
    public int read() {
      return b.hasRemaining() ? b.get() & 0xFF : -1;
    }

    @Override
    public int read(byte[] dst, int off, int len) {
      if (!b.hasRemaining()) {
        return -1;
      }
      int n = Math.min(len, b.remaining());
      b.get(dst, off, n);
      return n;
    }
  }
}
