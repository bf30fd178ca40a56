// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.authres;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.message.HeaderField;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

final class AuthservIdGuardTest {
  private final AuthservIdGuard guard = AuthservIdGuard.forAuthservId("MX.Example.ORG");

  private static HeaderField field(String raw) {
    byte[] b = raw.getBytes(StandardCharsets.ISO_8859_1);
    return new HeaderField(raw.substring(0, raw.indexOf(':')), b, raw.indexOf(':') + 1);
  }

  @Test
  @DisplayName("RFC 8601 §5: fields with our authserv-id are found, case-insensitively")
  void fieldsClaimingOurs_mixed_onlyOurs() {
    HeaderField ours = field("Authentication-Results: mx.example.org; spf=pass\r\n");
    HeaderField oursComment = field("authentication-results: (forged) MX.EXAMPLE.ORG 1; none\r\n");
    HeaderField theirs = field("Authentication-Results: other.example; dkim=pass\r\n");
    HeaderField arc = field("ARC-Authentication-Results: i=1; mx.example.org; dkim=pass\r\n");
    HeaderField subject = field("Subject: mx.example.org; spf=pass\r\n");
    assertThat(guard.fieldsClaimingOurs(List.of(ours, oursComment, theirs, arc, subject)))
        .containsExactly(ours, oursComment);
  }

  @Test
  @DisplayName("RFC 8601 §5: removal from raw bytes keeps every other byte")
  void removeClaimingOurs_message_removesFoldedField() {
    String msg =
        "Received: from x\r\n"
            + "Authentication-Results: mx.example.org;\r\n\tspf=pass smtp.mailfrom=a@b.example\r\n"
            + "From: a@b.example\r\n"
            + "Authentication-Results: other.example; none\r\n"
            + "authentication-results:mx.example.org;none\n"
            + "\r\n"
            + "Authentication-Results: mx.example.org; body line stays\r\n";
    byte[] out = guard.removeClaimingOurs(msg.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(new String(out, StandardCharsets.ISO_8859_1))
        .isEqualTo(
            "Received: from x\r\n"
                + "From: a@b.example\r\n"
                + "Authentication-Results: other.example; none\r\n"
                + "\r\n"
                + "Authentication-Results: mx.example.org; body line stays\r\n");
  }

  @Test
  @DisplayName("RFC 8601 §5: nothing to remove: the same array comes back")
  void removeClaimingOurs_none_sameArray() {
    byte[] msg = "From: a@b.example\r\n\r\nbody".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(guard.removeClaimingOurs(msg)).isSameAs(msg);
  }

  @Test
  @DisplayName("RFC 8601 §5: a forged authserv-id with a trailing dot is ours too")
  void claimsOurs_trailingDot_ours() {
    assertThat(guard.claimsOurs(field("Authentication-Results: mx.example.org.; dkim=pass\r\n")))
        .isTrue();
    assertThat(
            guard.claimsOurs(field("Authentication-Results: \"mx.example.org.\"; dkim=pass\r\n")))
        .isTrue();
    assertThat(
            guard.claimsOurs(field("Authentication-Results: mx.example.org.evil; dkim=pass\r\n")))
        .isFalse();
    assertThat(
            AuthservIdGuard.forAuthservId("mx.example.org.")
                .claimsOurs(field("Authentication-Results: MX.example.org; none\r\n")))
        .isTrue();
  }

  @Test
  @DisplayName(
      "RFC 8601 §5: a forged field hidden behind a bare CR is removed with the field that hides it")
  void removeClaimingOurs_behindBareCr_removed() {
    String msg =
        "X-Note: harmless\rAuthentication-Results: mx.example.org; dmarc=pass\r\n"
            + "Authentication-Results: other.example;\r\tx\rAuthentication-Results: mx.example.org; spf=pass\r\n"
            + "X-Kept: a\rb\r\n"
            + "From: a@b.example\r\n\r\nbody\rAuthentication-Results: mx.example.org; none\r\n";
    String out =
        new String(
            guard.removeClaimingOurs(msg.getBytes(StandardCharsets.ISO_8859_1)),
            StandardCharsets.ISO_8859_1);
    assertThat(out)
        .isEqualTo(
            "X-Kept: a\rb\r\nFrom: a@b.example\r\n\r\nbody\rAuthentication-Results: mx.example.org; none\r\n");
    assertThat(
            guard.claimsOurs(
                field("X-Note: harmless\rAuthentication-Results: mx.example.org; dmarc=pass\r\n")))
        .isTrue();
    assertThat(guard.claimsOurs(field("X-Note: a\rb\r\n"))).isFalse();
  }

  @Test
  @DisplayName(
      "RFC 8601 §5: a field whose authserv-id is only a control character is kept, not thrown at")
  void removeClaimingOurs_blankAuthservId_keptWithoutException() {
    byte[] msg =
        "Authentication-Results: \u001e; spf=pass\r\nFrom: a@b.example\r\n\r\nbody\r\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    assertThat(guard.removeClaimingOurs(msg)).isSameAs(msg);
  }

  @Test
  @DisplayName("RFC 8601 §5: our authserv-id padded with control characters is still ours")
  void removeClaimingOurs_idPaddedWithControlCharacters_removed() {
    String forged = "Authentication-Results: mx.example.org\u0000\u000c; dkim=pass\r\n";
    byte[] msg =
        (forged + "From: a@b.example\r\n\r\nbody\r\n").getBytes(StandardCharsets.ISO_8859_1);
    assertThat(new String(guard.removeClaimingOurs(msg), StandardCharsets.ISO_8859_1))
        .isEqualTo("From: a@b.example\r\n\r\nbody\r\n");
    assertThat(guard.claimsOurs(field(forged))).isTrue();
  }
}
