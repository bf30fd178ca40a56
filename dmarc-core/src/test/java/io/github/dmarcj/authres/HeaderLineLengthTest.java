// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.authres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a sender controls never makes an Authentication-Results line longer than RFC 5322 allows.
 */
final class HeaderLineLengthTest {
  static void assertLinesWithin998(String field) {
    assertThat(field.split("\r\n", -1))
        .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(998));
    assertThat(field.replace("\r\n\t", "").replace("\r\n", ""))
        .doesNotContain("\r")
        .doesNotContain("\n");
  }

  @Test
  void longIdentityMailFromHeloAndReason_linesStayWithinLimit() {
    String longLocal = "a".repeat(5000);
    AuthenticationResults ar =
        new AuthenticationResults(
            "mx.example.org",
            List.of(
                MethodResult.of(
                        "spf",
                        "pass",
                        List.of(
                            AuthProperty.of("smtp", "mailfrom", longLocal + "@example.com"),
                            AuthProperty.of("smtp", "helo", "h".repeat(5000))))
                    .withComment("client-ip 192.0.2.1 " + "c".repeat(3000)),
                MethodResult.of(
                        "dkim",
                        "fail",
                        List.of(
                            AuthProperty.of("header", "d", "example.com"),
                            AuthProperty.of("header", "i", "\"" + longLocal + "\"@example.com")))
                    .withReason("r".repeat(4000))));
    String field = ar.toHeaderField();
    assertLinesWithin998(field);
    assertThat(field)
        .contains("(smtp.mailfrom left out: 5012 characters)")
        .contains("(smtp.helo left out: 5000 characters)")
        .contains("(header.i left out: ")
        .contains("header.d=example.com");
    AuthenticationResults back =
        AuthenticationResults.parse(field.substring(field.indexOf(':') + 1)).orElseThrow();
    assertThat(back.results()).extracting(MethodResult::method).containsExactly("spf", "dkim");
    assertThat(back.resultsFor("dkim").get(0).property("header", "d")).contains("example.com");
    assertThat(back.resultsFor("dkim").get(0).reason().orElseThrow())
        .hasSize(AuthenticationResults.MAX_TEXT_LENGTH);
  }

  @Test
  void controlCharactersInValues_neverEndTheField() {
    AuthenticationResults ar =
        new AuthenticationResults(
            "mx.example.org",
            List.of(
                MethodResult.of(
                        "dkim",
                        "pass",
                        List.of(
                            AuthProperty.of(
                                "header", "i", "x\r\n\tdkim=pass\u0000\u001b[31m@example.com")))
                    .withComment("a\r\nb\u0007c")));
    String field = ar.toHeaderField();
    assertLinesWithin998(field);
    assertThat(field).doesNotContain("\u0000").doesNotContain("\u001b").doesNotContain("\u0007");
    AuthenticationResults back =
        AuthenticationResults.parse(field.substring(field.indexOf(':') + 1)).orElseThrow();
    assertThat(back.results()).hasSize(1);
  }

  @Test
  void methodResultText_isWhatTheFieldWritesForIt() {
    MethodResult spf =
        MethodResult.of(
                "spf", "fail", List.of(AuthProperty.of("smtp", "mailfrom", "a b@example.com")))
            .withComment("client-ip 192.0.2.1")
            .withReason("not permitted");
    AuthenticationResults ar = new AuthenticationResults("mx.example.org", List.of(spf));
    assertThat(spf.text())
        .isEqualTo(
            "spf=fail (client-ip 192.0.2.1) reason=\"not permitted\" smtp.mailfrom=\"a b@example.com\"");
    assertThat(ar.value()).isEqualTo("mx.example.org; " + spf.text());
  }
}
