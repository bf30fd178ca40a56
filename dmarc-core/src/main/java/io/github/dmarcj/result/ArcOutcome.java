// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.result;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The result of validating a message's Authenticated Received Chain (RFC 8617 §5.2), immutable.
 *
 * <p>ARC only reports; what to make of a passing chain is local policy (RFC 8617 §7): a chain
 * passes whatever its sealers are, so trust only {@link #sealers()} you know.
 *
 * @param result {@code none}, {@code pass} or {@code fail}
 * @param reason why the chain failed; empty for {@code none} and {@code pass}
 * @param failedInstance the instance at which the failure was found, when it concerns one
 * @param instanceCount how many ARC Sets the message carries (0 for {@code none}); for a chain
 *     refused by a limit, the highest instance seen
 * @param oldestPass for a passing chain, the lowest instance whose ARC-Message-Signature still
 *     verifies ({@code header.oldest-pass}; 0 when all of them do, RFC 8617 §5.2 step 5); empty
 *     otherwise
 * @param instances the sets in instance order, as far as they could be read; empty when the chain
 *     was refused before reading (a limit)
 * @since 0.1.0
 */
public record ArcOutcome(
    ArcResult result,
    Optional<ArcReason> reason,
    OptionalInt failedInstance,
    int instanceCount,
    OptionalInt oldestPass,
    List<ArcInstance> instances) {
  private static final ArcOutcome NONE =
      new ArcOutcome(
          ArcResult.NONE, Optional.empty(), OptionalInt.empty(), 0, OptionalInt.empty(), List.of());

  /**
   * Checks the components: a {@code fail} needs a reason, the others must have none.
   *
   * @param result {@code none}, {@code pass} or {@code fail}
   * @param reason why the chain failed; empty for {@code none} and {@code pass}
   * @param failedInstance the instance at which the failure was found, when it concerns one
   * @param instanceCount how many ARC Sets the message carries
   * @param oldestPass for a passing chain, the lowest instance whose AMS still verifies (0: all)
   * @param instances the sets in instance order, as far as they could be read
   */
  public ArcOutcome {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(failedInstance, "failedInstance");
    Objects.requireNonNull(oldestPass, "oldestPass");
    instances = List.copyOf(instances);
    if ((result == ArcResult.FAIL) != reason.isPresent()) {
      throw new IllegalArgumentException("a reason goes with fail and only with fail: " + result);
    }
    if (instanceCount < 0) {
      throw new IllegalArgumentException(
          "instance count must not be negative, was " + instanceCount);
    }
  }

  /** {@return the outcome of a message without any ARC Set} */
  public static ArcOutcome none() {
    return NONE;
  }

  /**
   * {@return a failed chain}
   *
   * @param reason why it failed
   * @param failedInstance the instance concerned, or 0 when the failure concerns no single one
   * @param instanceCount how many sets the message carries
   * @param instances the sets as far as they could be read
   */
  public static ArcOutcome fail(
      ArcReason reason, int failedInstance, int instanceCount, List<ArcInstance> instances) {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(instances, "instances");
    return new ArcOutcome(
        ArcResult.FAIL,
        Optional.of(reason),
        failedInstance > 0 ? OptionalInt.of(failedInstance) : OptionalInt.empty(),
        instanceCount,
        OptionalInt.empty(),
        instances);
  }

  /** {@return true for {@code arc=pass}} */
  public boolean isPass() {
    return result == ArcResult.PASS;
  }

  /** {@return the sealing domains ({@code d=} of each ARC-Seal), oldest first} */
  public List<String> sealers() {
    List<String> out = new ArrayList<>(instances.size());
    for (ArcInstance i : instances) {
      out.add(i.sealDomain());
    }
    return List.copyOf(out);
  }

  /**
   * {@return the set with instance number {@code i}, if it was read}
   *
   * @param i the instance number
   */
  public Optional<ArcInstance> instance(int i) {
    for (ArcInstance x : instances) {
      if (x.instance() == i) {
        return Optional.of(x);
      }
    }
    return Optional.empty();
  }

  /**
   * {@return the text RFC 8617 §7.2.2 suggests for a report comment: {@code as[N].d=...
   * as[N].s=...} for each set from the newest, then the client address the first sealer recorded}
   */
  public String chainSummary() {
    StringBuilder b = new StringBuilder("arc=").append(result.keyword());
    for (int k = instances.size() - 1; k >= 0; k--) {
      ArcInstance x = instances.get(k);
      b.append(" as[")
          .append(x.instance())
          .append("].d=")
          .append(x.sealDomain())
          .append(" as[")
          .append(x.instance())
          .append("].s=")
          .append(x.sealSelector());
    }
    instance(1)
        .flatMap(ArcInstance::remoteIp)
        .ifPresent(ip -> b.append(" remote-ip[1]=").append(ip));
    return b.toString();
  }
}
