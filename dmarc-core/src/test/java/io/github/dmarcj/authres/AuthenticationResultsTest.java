// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.authres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class AuthenticationResultsTest {

  private static AuthenticationResults parse(String s) {
    return AuthenticationResults.parse(s).orElseThrow();
  }

  @Test
  @DisplayName("RFC 8601 Appendix B.2: no-result with version")
  void parse_noResult_emptyResults() {
    AuthenticationResults ar = parse(" example.org 1; none");
    assertThat(ar.authservId()).isEqualTo("example.org");
    assertThat(ar.results()).isEmpty();
    assertThat(ar.value()).isEqualTo("example.org; none");
  }

  @Test
  @DisplayName("RFC 8601 Appendix B.3: spf with smtp.mailfrom")
  void parse_spfExample_structured() {
    AuthenticationResults ar = parse(" example.com; spf=pass smtp.mailfrom=example.net");
    assertThat(ar.results()).hasSize(1);
    MethodResult r = ar.results().get(0);
    assertThat(r.method()).isEqualTo("spf");
    assertThat(r.result()).isEqualTo("pass");
    assertThat(r.property("smtp", "mailfrom")).contains("example.net");
  }

  @Test
  @DisplayName("RFC 8601 Appendix B.4: several methods, comments, policy ptype")
  void parse_multipleMethods_allRead() {
    AuthenticationResults ar =
        parse(
            " example.com;\r\n          auth=pass (cram-md5) smtp.auth=sender@example.net;\r\n"
                + "          spf=pass smtp.mailfrom=example.net");
    assertThat(ar.results()).extracting(MethodResult::method).containsExactly("auth", "spf");
    assertThat(ar.results().get(0).comment()).contains("cram-md5");
    assertThat(ar.results().get(0).property("smtp", "auth")).contains("sender@example.net");
    AuthenticationResults iprev =
        parse(" example.com; iprev=pass\r\n          policy.iprev=192.0.2.200");
    assertThat(iprev.results().get(0).property("policy", "iprev")).contains("192.0.2.200");
  }

  @Test
  @DisplayName("RFC 8601 Appendix B.6: quoted reason and header.i with empty local part")
  void parse_quotedReason_unquoted() {
    AuthenticationResults ar =
        parse(
            " example.com;\r\n    dkim=pass reason=\"good signature\"\r\n"
                + "      header.i=@mail-router.example.net;\r\n    dkim=fail reason=\"bad signature\"\r\n"
                + "      header.i=@newyork.example.com");
    assertThat(ar.resultsFor("dkim")).hasSize(2);
    assertThat(ar.results().get(0).reason()).contains("good signature");
    assertThat(ar.results().get(1).result()).isEqualTo("fail");
    assertThat(ar.results().get(1).property("header", "i")).contains("@newyork.example.com");
  }

  @Test
  @DisplayName("RFC 8601 §2.2: comments between every token")
  void parse_commentsEverywhere_tolerated() {
    AuthenticationResults ar =
        parse(
            " foo.example.net (foobar) 1 (baz);\r\n    dkim (Because I like it) / 1 (One yay) ="
                + " (wait for it) fail\r\n      policy (A dot can go here) . (like that) expired\r\n"
                + "      (this surprised me) = (as I wasn't expecting it) 1362471462");
    assertThat(ar.authservId()).isEqualTo("foo.example.net");
    MethodResult r = ar.results().get(0);
    assertThat(r.method()).isEqualTo("dkim");
    assertThat(r.methodVersion()).contains(1);
    assertThat(r.result()).isEqualTo("fail");
    assertThat(r.property("policy", "expired")).contains("1362471462");
  }

  @Test
  @DisplayName("RFC 8601 §2.2: keywords are case-insensitive; unknown methods and ptypes kept")
  void parse_mixedCaseAndUnknown_normalised() {
    AuthenticationResults ar =
        parse("mx.example; SPF=Pass SMTP.MailFrom=a@b.example; x-foo=bar custom.thing=1 body.x=y");
    assertThat(ar.results()).extracting(MethodResult::method).containsExactly("spf", "x-foo");
    assertThat(ar.results().get(0).result()).isEqualTo("pass");
    assertThat(ar.results().get(0).property("smtp", "mailfrom")).contains("a@b.example");
    assertThat(ar.results().get(1).properties())
        .containsExactly(
            AuthProperty.of("custom", "thing", "1"), AuthProperty.of("body", "x", "y"));
  }

  @Test
  @DisplayName("RFC 8601 §2.2: an unreadable result is skipped, the rest is kept")
  void parse_garbageResult_skipped() {
    AuthenticationResults ar = parse("mx.example; ==junk==; dkim=pass header.d=example.com; ;");
    assertThat(ar.results()).extracting(MethodResult::method).containsExactly("dkim");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "(only a comment)", ";", "; spf=pass"})
  @DisplayName("RFC 8601 §2.2: no authserv-id: empty")
  void parse_noAuthservId_empty(String body) {
    assertThat(AuthenticationResults.parse(body)).isEmpty();
  }

  @Test
  @DisplayName("RFC 8601 §2.2: writer: specials in values are quoted, mailbox and domain are not")
  void value_specials_quoted() {
    AuthenticationResults ar =
        new AuthenticationResults(
            "mx.example.org",
            List.of(
                MethodResult.of(
                        "spf",
                        "fail",
                        List.of(AuthProperty.of("smtp", "mailfrom", "user@example.com")))
                    .withReason("not permitted; -all"),
                MethodResult.of(
                    "dkim",
                    "pass",
                    List.of(
                        AuthProperty.of("header", "i", "@example.com"),
                        AuthProperty.of("header", "b", "ab/cd+ef=")))));
    assertThat(ar.value())
        .isEqualTo(
            "mx.example.org; spf=fail reason=\"not permitted; -all\""
                + " smtp.mailfrom=user@example.com; dkim=pass header.i=@example.com"
                + " header.b=\"ab/cd+ef=\"");
    assertThat(parse(ar.value())).isEqualTo(ar);
  }

  @Test
  @DisplayName("RFC 8601 §2.2: writer: one result per folded line, no line over 78 characters")
  void toHeaderField_long_foldedAt78() {
    List<AuthProperty> props =
        List.of(
            AuthProperty.of("header", "d", "a-rather-long-subdomain.of-an-example-domain.example"),
            AuthProperty.of("header", "i", "@a-rather-long-subdomain.of-an-example-domain.example"),
            AuthProperty.of("header", "s", "selector2026"),
            AuthProperty.of("header", "a", "rsa-sha256"),
            AuthProperty.of("header", "b", "ABCDEFGH"));
    AuthenticationResults ar =
        new AuthenticationResults(
            "mx.example.org",
            List.of(
                MethodResult.of("dkim", "pass", props),
                MethodResult.of(
                    "dmarc", "pass", List.of(AuthProperty.of("header", "from", "x.example")))));
    String field = ar.toHeaderField();
    assertThat(field).startsWith("Authentication-Results: mx.example.org;\r\n\tdkim=pass ");
    assertThat(field).endsWith("\r\n\tdmarc=pass header.from=x.example\r\n");
    for (String line : field.split("\r\n")) {
      assertThat(line.length()).isLessThanOrEqualTo(AuthenticationResults.LINE_LENGTH);
    }
    String body = field.substring(field.indexOf(':') + 1);
    assertThat(parse(body)).isEqualTo(ar);
  }

  @Test
  @DisplayName("RFC 8601 §2.2: writer: comments are escaped and read back")
  void comment_roundTrip_equal() {
    AuthenticationResults ar =
        new AuthenticationResults(
            "mx",
            List.of(MethodResult.of("dmarc", "fail", List.of()).withComment("p=reject (strict)")));
    assertThat(ar.value()).isEqualTo("mx; dmarc=fail (p=reject \\(strict\\))");
    assertThat(parse(ar.value())).isEqualTo(ar);
  }

  @Test
  @DisplayName("RFC 8601 §2.2: model: keywords are validated and lower-cased")
  void model_badKeyword_throws() {
    assertThatThrownBy(() -> AuthProperty.of("header", "d d", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MethodResult.of("spf", "", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(MethodResult.of("SPF", "PASS", List.of()).result()).isEqualTo("pass");
  }

  @Test
  @DisplayName("RFC 8601 §2.2: round trip of random values, seeded")
  void roundTrip_randomValues_equal() {
    Random random = new Random(8601);
    String alphabet = "abcXYZ019 ._-@;()\"\\/=+,:<>[]?!#";
    for (int i = 0; i < 500; i++) {
      StringBuilder v = new StringBuilder();
      int len = 1 + random.nextInt(20);
      for (int j = 0; j < len; j++) {
        v.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String value = v.toString().strip();
      if (value.isEmpty()) {
        continue;
      }
      MethodResult r =
          new MethodResult(
              "dkim",
              Optional.empty(),
              "fail",
              Optional.of(value),
              Optional.empty(),
              List.of(AuthProperty.of("header", "d", value)));
      AuthenticationResults ar = new AuthenticationResults("mx.example", List.of(r));
      assertThat(parse(ar.value())).as(ar.value()).isEqualTo(ar);
      String folded = ar.toHeaderField();
      assertThat(parse(folded.substring(folded.indexOf(':') + 1))).as(folded).isEqualTo(ar);
    }
  }

  @Test
  @DisplayName(
      "RFC 8601 §2.2: an authserv-id of white-space control characters is no authserv-id, not an exception")
  void parse_blankAuthservId_emptyNotThrown() {
    assertThat(AuthenticationResults.parse("\u001e; spf=pass")).isEmpty();
    assertThat(AuthenticationResults.parse("\"\u001c \"; dkim=pass")).isEmpty();
  }
}
