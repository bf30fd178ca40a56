// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.message.HeaderField;
import io.github.dmarcj.result.DkimReason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

final class SignatureRecordTest {
  private static final Limits LIMITS =
      new Limits(
          10, 100, 16 * 1024, 1 << 20, 1024, 8192, false, false, false, true, true, 300, false);

  private static SignatureRecord parse(String value) {
    byte[] raw = ("DKIM-Signature:" + value + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    return SignatureRecord.parse(new HeaderField("DKIM-Signature", raw, 15), 0, LIMITS);
  }

  @Test
  @DisplayName("RFC 6376 §3.5: a d= that IDNA maps to a name with a space is a syntax error")
  void parse_dWithNoBreakSpace_syntax() {
    // What DkimFuzzTest found: nameprep maps U+00A0 to U+0020, so d= became "a b.example".
    String tags = " v=1; a=rsa-sha256; b=AAAA; bh=AAAA; h=from; s=sel; d=a\u00a0b.example";
    assertThat(parse(tags).error).isEqualTo(DkimReason.SYNTAX);
    assertThat(parse(tags.replace("a\u00a0b", "ab")).error).isNull();
  }
}
