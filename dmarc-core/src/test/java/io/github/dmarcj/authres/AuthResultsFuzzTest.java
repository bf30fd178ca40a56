// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.authres;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.dmarcj.fuzz.FuzzBounds;
import io.github.dmarcj.message.HeaderField;
import io.github.dmarcj.message.MessageHeaderParser;
import io.github.dmarcj.message.ParsedHeader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/** Fuzzes Authentication-Results parsing and rendering, and the forged-result guard. */
@Tag("fuzz")
final class AuthResultsFuzzTest {
  private static final AuthservIdGuard GUARD = AuthservIdGuard.forAuthservId("mx.example.net");

  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void parse_anyText_rendersToTheSameResults(byte[] input) {
    String text = new String(input, StandardCharsets.ISO_8859_1);
    Optional<AuthenticationResults> parsed =
        FuzzBounds.allocationBounded(input.length, 64, () -> AuthenticationResults.parse(text));
    if (parsed.isEmpty()) {
      return;
    }
    AuthenticationResults ar = parsed.get();
    assertThat(ar.authservId()).isNotBlank();
    for (MethodResult r : ar.results()) {
      assertThat(r.method()).isNotEmpty();
      assertThat(r.result()).isNotEmpty();
    }
    // parse -> render -> parse keeps every result; a second round changes nothing. Rendering
    // never writes a control character: CR and LF become spaces, the others '?'.
    String value = ar.value();
    AuthenticationResults again = AuthenticationResults.parse(value).orElseThrow();
    assertThat(again.authservId()).isEqualTo(printable(ar.authservId()));
    assertThat(again.results()).hasSameSizeAs(ar.results());
    for (int i = 0; i < ar.results().size(); i++) {
      assertThat(again.results().get(i).method()).isEqualTo(ar.results().get(i).method());
      assertThat(again.results().get(i).result()).isEqualTo(ar.results().get(i).result());
    }
    assertThat(AuthenticationResults.parse(again.value())).contains(again);
    // The folded field reads back the same, and the guard for its authserv-id claims it.
    String field = ar.toHeaderField();
    byte[] raw = field.getBytes(StandardCharsets.ISO_8859_1);
    ParsedHeader h = MessageHeaderParser.create().parse(raw);
    assertThat(h.fields()).hasSize(1);
    HeaderField f = h.fields().get(0);
    assertThat(AuthenticationResults.parse(f.value())).contains(again);
    if (ar.authservId().equals(printable(ar.authservId()))) {
      assertThat(AuthservIdGuard.forAuthservId(ar.authservId()).claimsOurs(f)).isTrue();
    }
  }

  /** What the writer makes of a text: CR and LF as spaces, other controls and DEL as '?'. */
  private static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      b.append(c == '\r' || c == '\n' ? ' ' : (c < 0x20 && c != '\t') || c == 0x7F ? '?' : c);
    }
    return b.toString();
  }

  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void removeClaimingOurs_anyMessage_noClaimLeftAndBodyKept(byte[] input) {
    byte[] out =
        FuzzBounds.allocationBounded(input.length, 16, () -> GUARD.removeClaimingOurs(input));
    assertThat(out.length).isLessThanOrEqualTo(input.length);
    if (out != input) {
      assertThat(out.length).as("something was removed").isLessThan(input.length);
    }
    // Nothing a header parser sees in the result still claims our authserv-id.
    ParsedHeader h = MessageHeaderParser.create().parse(out);
    for (HeaderField f : h.fields()) {
      assertThat(GUARD.claimsOurs(f)).as("field left in place: %s", f).isFalse();
    }
    // Removing again changes nothing; the body is kept byte for byte.
    assertThat(GUARD.removeClaimingOurs(out)).isEqualTo(out);
    ParsedHeader before = MessageHeaderParser.create().parse(input);
    if (before.hasBodySeparator() && !before.isTruncated()) {
      byte[] body = Arrays.copyOfRange(input, before.bodyOffset(), input.length);
      byte[] tail = Arrays.copyOfRange(out, out.length - body.length, out.length);
      assertThat(tail).isEqualTo(body);
    }
  }
}
