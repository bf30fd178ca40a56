// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One report destination of a {@code rua} or {@code ruf} tag (RFC 9989 §4.7; RFC 9990 §3.5; RFC
 * 7489 §6.2).
 *
 * @param uri the URI as written, without the size suffix (commas and {@code !} inside it stay
 *     percent-encoded)
 * @param scheme the scheme in lower case ({@code mailto}, {@code https}, ...)
 * @param maxSizeBytes the RFC 7489 {@code !size} limit in bytes, if the URI carried one (k, m, g, t
 *     are powers of 2^10); RFC 9989 parses and ignores it (RFC 7489 §6.2, RFC 9989 §4.7)
 */
public record ReportUri(String uri, String scheme, OptionalLong maxSizeBytes) {
  /**
   * Checks that every component is present; lower-cases the scheme.
   *
   * @param uri the URI as written, without the size suffix (commas and {@code !} inside it stay
   *     percent-encoded)
   * @param scheme the scheme in lower case ({@code mailto}, {@code https}, ...)
   * @param maxSizeBytes the RFC 7489 {@code !size} limit in bytes, if the URI carried one (k, m, g,
   *     t are powers of 2^10); RFC 9989 parses and ignores it (RFC 7489 §6.2, RFC 9989 §4.7)
   */
  public ReportUri {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(maxSizeBytes, "maxSizeBytes");
    scheme = scheme.toLowerCase(Locale.ROOT);
  }

  /** {@return true for {@code mailto:}, the scheme every receiver supports} */
  public boolean isMailto() {
    return scheme.equals("mailto");
  }

  /**
   * {@return the host the reports go to: the domain of a {@code mailto:} address (percent-decoded),
   * or the host of another URI; empty if there is none}
   */
  public Optional<String> host() {
    return ReportUris.host(this);
  }

  /** {@return the mailbox of a {@code mailto:} URI, percent-decoded, without {@code ?} headers} */
  public Optional<String> mailbox() {
    return ReportUris.mailbox(this);
  }
}
