// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Signs messages with DKIM (RFC 6376 §5; {@code rsa-sha256} or {@code ed25519-sha256}, RFC 8463).
 * Immutable and thread-safe once built.
 *
 * <pre>{@code
 * DkimSigner signer = DkimSigner.builder(DkimSigningKey.fromPem(pem), "example.com", "sel")
 *     .canonicalization(DkimCanonicalization.RELAXED, DkimCanonicalization.RELAXED)
 *     .overSign(true)
 *     .build();
 * byte[] signed = signer.sign(message);
 * }</pre>
 *
 * @since 0.1.0
 */
public final class DkimSigner {
  /** Header fields signed by default, when present (RFC 6376 §5.4.1). */
  public static final List<String> DEFAULT_HEADERS =
      List.of(
          "From",
          "Reply-To",
          "Subject",
          "Date",
          "To",
          "Cc",
          "Message-ID",
          "In-Reply-To",
          "References",
          "MIME-Version",
          "Content-Type",
          "Content-Transfer-Encoding",
          "List-Id",
          "List-Unsubscribe",
          "List-Unsubscribe-Post");

  private final DkimSigningKey key;
  private final String domain;
  private final String selector;
  private final DkimCanonicalization headerCanon;
  private final DkimCanonicalization bodyCanon;
  private final List<String> headers;
  private final boolean overSign;
  private final @Nullable String identity;
  private final @Nullable Duration expiry;
  private final boolean timestamp;
  private final Clock clock;

  private DkimSigner(Builder b) {
    this.key = b.key;
    this.domain = b.domain;
    this.selector = b.selector;
    this.headerCanon = b.headerCanon;
    this.bodyCanon = b.bodyCanon;
    this.headers = List.copyOf(b.headers);
    this.overSign = b.overSign;
    this.identity = b.identity;
    this.expiry = b.expiry;
    this.timestamp = b.timestamp;
    this.clock = b.clock;
  }

  /**
   * {@return a builder for signatures by {@code key} for domain {@code d=} and selector {@code s=}}
   *
   * @param key the private key
   * @param domain the signing domain, {@code d=}
   * @param selector the selector, {@code s=}
   */
  public static Builder builder(DkimSigningKey key, String domain, String selector) {
    return new Builder(key, domain, selector);
  }

  /**
   * {@return the signed message: the new DKIM-Signature field followed by {@code message}
   * unchanged}
   *
   * @param message the message with CRLF line endings
   */
  public byte[] sign(byte[] message) {
    byte[] field = signatureField(message).getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[field.length + message.length];
    System.arraycopy(field, 0, out, 0, field.length);
    System.arraycopy(message, 0, out, field.length, message.length);
    return out;
  }

  /**
   * {@return the DKIM-Signature field for {@code message} (the raw message with CRLF line endings),
   * including its trailing CRLF, ready to be put on top of the header}
   *
   * @param message the message with CRLF line endings
   * @throws IllegalArgumentException if the message has no From field (RFC 6376 §5.4)
   */
  public String signatureField(byte[] message) {
    HeaderSection h = HeaderSection.parse(message, 0, message.length, Integer.MAX_VALUE);
    if (h.fields.stream().noneMatch(f -> f.hasName("From"))) {
      throw new IllegalArgumentException("the message has no From field to sign");
    }
    List<String> names = new ArrayList<>();
    for (String name : headers) {
      int count = (int) h.fields.stream().filter(f -> f.hasName(name)).count();
      for (int i = 0; i < count; i++) {
        names.add(name);
      }
      if (overSign) {
        names.add(name); // one more than present: no instance can be added (RFC 6376 §8.15)
      }
    }
    BodyHasher.Sink sink = new BodyHasher.Sink(Crypto.digest(key.algorithm()), -1);
    BodyHasher body = BodyHasher.create(bodyCanon, new BodyHasher.Sink[] {sink}, false);
    body.update(message, h.bodyOffset, message.length - h.bodyOffset);
    body.finish();
    String bh = Base64.getEncoder().encodeToString(sink.digest.digest());

    StringBuilder f = new StringBuilder(512);
    f.append("DKIM-Signature: v=1; a=").append(key.algorithm().keyword());
    f.append("; c=").append(headerCanon.keyword()).append('/').append(bodyCanon.keyword());
    f.append("; d=").append(domain).append("; s=").append(selector).append(";\r\n\t");
    if (identity != null) {
      f.append("i=").append(identity).append(";\r\n\t");
    }
    if (timestamp || expiry != null) {
      long now = clock.instant().getEpochSecond();
      if (timestamp) {
        f.append("t=").append(now).append("; ");
      }
      if (expiry != null) {
        f.append("x=").append(now + expiry.toSeconds()).append("; ");
      }
      f.setLength(f.length() - 1);
      f.append("\r\n\t");
    }
    f.append("h=");
    int lineLen = 3;
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (i > 0) {
        f.append(':');
        lineLen++;
        if (lineLen + n.length() > 70) {
          f.append("\r\n\t ");
          lineLen = 1;
        }
      }
      f.append(n);
      lineLen += n.length();
    }
    f.append(";\r\n\tbh=").append(bh).append(";\r\n\tb=");
    byte[] unsigned = f.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuf data = HeaderHashInput.build(h.fields, names, headerCanon, unsigned, false);
    String b = Base64.getEncoder().encodeToString(key.sign(data.buf, data.len));
    for (int i = 0; i < b.length(); i += 72) {
      if (i > 0) {
        f.append("\r\n\t ");
      }
      f.append(b, i, Math.min(b.length(), i + 72));
    }
    return f.append("\r\n").toString();
  }

  /** Longest {@link Builder#expiry} validity: 100 years, far inside {@code x=}'s 12 digits. */
  public static final long MAX_VALIDITY_SECONDS = 100L * 366 * 86_400;

  /** Configuration of a {@link DkimSigner}. */
  public static final class Builder {
    private final DkimSigningKey key;
    private final String domain;
    private final String selector;
    private DkimCanonicalization headerCanon = DkimCanonicalization.RELAXED;
    private DkimCanonicalization bodyCanon = DkimCanonicalization.RELAXED;
    private List<String> headers = DEFAULT_HEADERS;
    private boolean overSign;
    private @Nullable String identity;
    private @Nullable Duration expiry;
    private boolean timestamp = true;
    private Clock clock = Clock.systemUTC();

    private Builder(DkimSigningKey key, String domain, String selector) {
      this.key = Objects.requireNonNull(key, "key");
      this.domain = Objects.requireNonNull(domain, "domain");
      this.selector = Objects.requireNonNull(selector, "selector");
      if (!SignatureRecord.validDomain(domain)) {
        throw new IllegalArgumentException("not a domain name: " + domain);
      }
      if (!SignatureRecord.validSelector(selector)) {
        throw new IllegalArgumentException("not a selector: " + selector);
      }
    }

    /**
     * Header and body canonicalization, tag {@code c=}; default relaxed/relaxed.
     *
     * @param header the header canonicalization
     * @param body the body canonicalization
     * @return this builder
     */
    public Builder canonicalization(DkimCanonicalization header, DkimCanonicalization body) {
      this.headerCanon = Objects.requireNonNull(header, "header");
      this.bodyCanon = Objects.requireNonNull(body, "body");
      return this;
    }

    /**
     * The header field names to sign, in order, when present; default {@link #DEFAULT_HEADERS}.
     * Must include From.
     *
     * @param names the field names
     * @return this builder
     */
    public Builder headers(List<String> names) {
      List<String> copy = List.copyOf(names);
      if (copy.stream().noneMatch(n -> n.equalsIgnoreCase("from"))) {
        throw new IllegalArgumentException("the signed headers must include From, were " + copy);
      }
      for (String n : copy) {
        if (n.isEmpty() || n.chars().anyMatch(c -> c <= ' ' || c >= 0x7F || c == ':')) {
          throw new IllegalArgumentException("not a header field name: '" + n + "'");
        }
      }
      this.headers = copy;
      return this;
    }

    /**
     * Whether each listed name is signed once more than it occurs, so that no instance can be added
     * later without breaking the signature (RFC 6376 §5.4.2, §8.15); default false.
     *
     * @param overSign whether to over-sign
     * @return this builder
     */
    public Builder overSign(boolean overSign) {
      this.overSign = overSign;
      return this;
    }

    /**
     * The AUID {@code i=}; must be in {@code d=} or a subdomain. Default: none.
     *
     * @param identity the AUID, for example {@code @mail.example.com}
     * @return this builder
     */
    public Builder identity(String identity) {
      int at = identity.lastIndexOf('@');
      String d = identity.substring(at + 1).toLowerCase(Locale.ROOT);
      String own = domain.toLowerCase(Locale.ROOT);
      if (at < 0 || !(d.equals(own) || d.endsWith("." + own))) {
        throw new IllegalArgumentException("identity " + identity + " is not within " + domain);
      }
      this.identity = identity;
      return this;
    }

    /**
     * Adds {@code x=} this long after the signing time. Default: no expiry.
     *
     * @param validity how long the signature is valid
     * @return this builder
     */
    public Builder expiry(Duration validity) {
      java.util.Objects.requireNonNull(validity, "validity");
      if (validity.isNegative() || validity.isZero()) {
        throw new IllegalArgumentException("validity must be positive, was " + validity);
      }
      // x= has at most 12 digits (RFC 6376 §3.5); a longer validity would overflow it.
      if (validity.toSeconds() > MAX_VALIDITY_SECONDS) {
        throw new IllegalArgumentException(
            "validity must be at most " + MAX_VALIDITY_SECONDS + " seconds, was " + validity);
      }
      this.expiry = validity;
      return this;
    }

    /**
     * Whether to add {@code t=}; default true.
     *
     * @param add whether to add {@code t=}
     * @return this builder
     */
    public Builder timestamp(boolean add) {
      this.timestamp = add;
      return this;
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

    /** {@return the signer} */
    public DkimSigner build() {
      return new DkimSigner(this);
    }
  }
}
