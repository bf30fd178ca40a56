// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.fuzz.FuzzBounds;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes From parsing: the address-list parser, the Author Domain rules on one field value, and the
 * same input read as a whole message with any number of From fields.
 */
@Tag("fuzz")
final class AuthorDomainsFuzzTest {
  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void ofValue_anyText_statusMatchesDomains(byte[] input) {
    String value = new String(input, StandardCharsets.ISO_8859_1);

    AddressListParser.Result list =
        FuzzBounds.allocationBounded(input.length, 64, () -> AddressListParser.parse(value));
    assertThat(list.error().isPresent() && !list.mailboxes().isEmpty())
        .as("an error comes without mailboxes")
        .isFalse();

    AuthorDomains from =
        FuzzBounds.allocationBounded(input.length, 64, () -> AuthorDomains.ofValue(value));
    check(from);
    if (from.status() == FromStatus.OK) {
      // The normalised domain reads back as itself through the same path.
      DomainName d = from.domain().orElseThrow();
      AuthorDomains again = AuthorDomains.ofValue("<postmaster@" + d.name() + ">");
      assertThat(again.status()).isEqualTo(FromStatus.OK);
      assertThat(again.domain()).contains(d);
    }

    ParsedHeader header = MessageHeaderParser.create().parse(input);
    AuthorDomains ofHeader = AuthorDomains.of(header);
    check(ofHeader);
    int fromFields = header.count(AuthorDomains.FROM);
    if (fromFields == 0) {
      assertThat(ofHeader.status()).isEqualTo(FromStatus.MISSING);
    } else if (fromFields > 1) {
      assertThat(ofHeader.status()).isEqualTo(FromStatus.MULTIPLE_FIELDS);
    }
  }

  private static void check(AuthorDomains a) {
    assertThat(a.status()).isNotNull();
    assertThat(a.domain().isPresent()).isEqualTo(a.status() == FromStatus.OK);
    assertThat(a.detail().isEmpty())
        .as("detail empty exactly for OK")
        .isEqualTo(a.status() == FromStatus.OK);
    assertThat(a.domains()).doesNotHaveDuplicates();
    for (DomainName d : a.domains()) {
      assertThat(DomainName.parse(d.name())).as("normalised name is a fixed point").contains(d);
    }
    for (Mailbox m : a.mailboxes()) {
      assertThat(m.displayName()).isNotNull();
    }
  }
}
