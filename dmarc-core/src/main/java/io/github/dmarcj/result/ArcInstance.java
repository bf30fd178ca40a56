// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.result;

import java.util.Objects;
import java.util.Optional;

/**
 * One ARC Set of a message as read and checked (RFC 8617 §4.1): who sealed it, what chain status it
 * claimed, whether its ARC-Message-Signature and its ARC-Seal verified, and what its
 * ARC-Authentication-Results recorded.
 *
 * @param instance the instance number {@code i=}, 1 for the oldest set
 * @param sealDomain the ARC-Seal's {@code d=} (lower case), or {@code ""} if it could not be read
 * @param sealSelector the ARC-Seal's {@code s=}, or {@code ""}
 * @param chainValidation the ARC-Seal's {@code cv=} as written ({@code none}, {@code pass}, {@code
 *     fail}), or {@code ""}
 * @param ams the outcome of this set's ARC-Message-Signature; {@link DkimResult#NONE} when it was
 *     not checked (an older AMS past the oldest passing one, or a chain that failed earlier)
 * @param seal the outcome of this set's ARC-Seal; {@link DkimResult#NONE} when it was not checked
 * @param authenticationResults the ARC-Authentication-Results payload after {@code i=N;} (the
 *     authserv-id and the results), unfolded, or {@code ""} if the set had none
 * @param remoteIp the client address the sealer recorded ({@code smtp.remote-ip} or {@code
 *     smtp.client-ip} in its ARC-Authentication-Results), if any
 */
public record ArcInstance(
    int instance,
    String sealDomain,
    String sealSelector,
    String chainValidation,
    DkimOutcome ams,
    DkimOutcome seal,
    String authenticationResults,
    Optional<String> remoteIp) {
  /**
   * Checks that every component is present.
   *
   * @param instance the instance number {@code i=}, 1 for the oldest set
   * @param sealDomain the ARC-Seal's {@code d=} (lower case), or {@code ""}
   * @param sealSelector the ARC-Seal's {@code s=}, or {@code ""}
   * @param chainValidation the ARC-Seal's {@code cv=} as written, or {@code ""}
   * @param ams the outcome of this set's ARC-Message-Signature
   * @param seal the outcome of this set's ARC-Seal
   * @param authenticationResults the ARC-Authentication-Results payload after {@code i=N;}
   * @param remoteIp the client address the sealer recorded, if any
   */
  public ArcInstance {
    Objects.requireNonNull(sealDomain, "sealDomain");
    Objects.requireNonNull(sealSelector, "sealSelector");
    Objects.requireNonNull(chainValidation, "chainValidation");
    Objects.requireNonNull(ams, "ams");
    Objects.requireNonNull(seal, "seal");
    Objects.requireNonNull(authenticationResults, "authenticationResults");
    Objects.requireNonNull(remoteIp, "remoteIp");
  }
}
