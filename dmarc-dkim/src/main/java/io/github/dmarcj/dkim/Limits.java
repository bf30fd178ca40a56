// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

/** The verifier's configured limits and policy switches, immutable. */
final class Limits {
  final int maxSignatures;
  final int maxSignedHeaders;
  final int maxSignatureFieldBytes;
  final int maxHeaderBytes;
  final int minRsaBits;
  final int maxRsaBits;
  final boolean allowRsaSha1;
  final boolean requireFromSigned;
  final boolean refuseUnsignedTail;
  final boolean rejectExpired;
  final boolean rejectFutureTimestamp;
  final long clockSkewSeconds;
  final boolean fixBareLf;

  Limits(
      int maxSignatures,
      int maxSignedHeaders,
      int maxSignatureFieldBytes,
      int maxHeaderBytes,
      int minRsaBits,
      int maxRsaBits,
      boolean allowRsaSha1,
      boolean requireFromSigned,
      boolean refuseUnsignedTail,
      boolean rejectExpired,
      boolean rejectFutureTimestamp,
      long clockSkewSeconds,
      boolean fixBareLf) {
    this.maxSignatures = maxSignatures;
    this.maxSignedHeaders = maxSignedHeaders;
    this.maxSignatureFieldBytes = maxSignatureFieldBytes;
    this.maxHeaderBytes = maxHeaderBytes;
    this.minRsaBits = minRsaBits;
    this.maxRsaBits = maxRsaBits;
    this.allowRsaSha1 = allowRsaSha1;
    this.requireFromSigned = requireFromSigned;
    this.refuseUnsignedTail = refuseUnsignedTail;
    this.rejectExpired = rejectExpired;
    this.rejectFutureTimestamp = rejectFutureTimestamp;
    this.clockSkewSeconds = clockSkewSeconds;
    this.fixBareLf = fixBareLf;
  }
}
