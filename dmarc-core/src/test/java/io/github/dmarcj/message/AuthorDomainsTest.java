// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.domain.DomainName;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

final class AuthorDomainsTest {
  private record Row(String value, FromStatus status, List<String> domains) {}

  private static Row row(String value, FromStatus status, String... domains) {
    return new Row(value, status, Arrays.asList(domains));
  }

  /** Unfolded From values (the text after the colon) and what they must yield. */
  private static List<Row> rows() {
    return List.of(
        // plain forms
        row(" user@example.com", FromStatus.OK, "example.com"),
        row(" <user@example.com>", FromStatus.OK, "example.com"),
        row(" User Name <user@example.com>", FromStatus.OK, "example.com"),
        row(" \"User Name\" <user@Example.COM>", FromStatus.OK, "example.com"),
        row("user@example.com", FromStatus.OK, "example.com"),
        row(" John Q. Public <jqp@example.org>", FromStatus.OK, "example.org"),
        row(" user@sub.example.co.uk ", FromStatus.OK, "sub.example.co.uk"),
        // display names that look like addresses (RFC 9989 §11.4)
        row(" \"ceo@bank.example\" <attacker@evil.example>", FromStatus.OK, "evil.example"),
        row(
            " \"ceo@bank.example <ceo@bank.example>\" <x@evil.example>",
            FromStatus.OK,
            "evil.example"),
        row(" \"Bank, Inc. <ceo@bank.example>\" <x@evil.example>", FromStatus.OK, "evil.example"),
        row(" \"a\\\"b@bank.example\" <x@evil.example>", FromStatus.OK, "evil.example"),
        row(" ceo@bank.example <x@evil.example>", FromStatus.UNPARSEABLE),
        row(" ceo@bank.example x@evil.example", FromStatus.UNPARSEABLE),
        // comments
        row(" user@example.com (Bank of Example)", FromStatus.OK, "example.com"),
        row(" (Mr. ceo@bank.example) user@example.com", FromStatus.OK, "example.com"),
        row(" user(c1)@(c2)example.com(c3)", FromStatus.OK, "example.com"),
        row(" user@example.com (nested (ceo@bank.example) comment)", FromStatus.OK, "example.com"),
        row(" user@example.com (escaped \\) paren <a@b.example>)", FromStatus.OK, "example.com"),
        row(" user@example.com (not closed", FromStatus.UNPARSEABLE),
        // quoted local parts
        row(" \"john doe\"@example.com", FromStatus.OK, "example.com"),
        row(" \"a@b.example\"@example.com", FromStatus.OK, "example.com"),
        row(" \"x\\\"y\"@example.net", FromStatus.OK, "example.net"),
        row(" john.\"q\".doe@example.com", FromStatus.OK, "example.com"),
        row(" \"not closed@example.com", FromStatus.UNPARSEABLE),
        // obsolete syntax
        row(" <@relay1.example,@relay2.example:user@example.com>", FromStatus.OK, "example.com"),
        row(" Name <@relay.example:user@example.com>", FromStatus.OK, "example.com"),
        row(" user @ example . com", FromStatus.OK, "example.com"),
        row(" john . doe@example.com", FromStatus.OK, "example.com"),
        row(" <user@example.com>,", FromStatus.OK, "example.com"),
        row(" ,user@example.com", FromStatus.OK, "example.com"),
        // RFC 2047 encoded words are phrase words, not addresses
        row(" =?utf-8?B?Sm9obiBEb2U=?= <john@example.com>", FromStatus.OK, "example.com"),
        row(" =?iso-8859-1?Q?J=F6rg?= <jorg@example.de>", FromStatus.OK, "example.de"),
        row(" =?utf-8?Q?ceo=40bank.example?= <x@evil.example>", FromStatus.OK, "evil.example"),
        row(" =?utf-8?Q?a@bank.example?= <x@evil.example>", FromStatus.UNPARSEABLE),
        row(" =?utf-8?Q?a@bank.example?=", FromStatus.INVALID_DOMAIN),
        // groups (RFC 6854)
        row(" undisclosed-recipients:;", FromStatus.NO_ADDRESS),
        row(
            " undisclosed: a@b.example, c@d.example;",
            FromStatus.MULTIPLE_ADDRESSES,
            "b.example",
            "d.example"),
        row(" team: a@b.example;", FromStatus.OK, "b.example"),
        row(" team: Alice <a@b.example>, ;", FromStatus.OK, "b.example"),
        row(" team: a@b.example", FromStatus.UNPARSEABLE),
        row(" : a@b.example;", FromStatus.UNPARSEABLE),
        row(" g: a@b.example; x@y.example", FromStatus.UNPARSEABLE),
        row(
            " g: a@b.example;, x@y.example",
            FromStatus.MULTIPLE_ADDRESSES,
            "b.example",
            "y.example"),
        // several addresses
        row(
            " a@one.example, b@two.example",
            FromStatus.MULTIPLE_ADDRESSES,
            "one.example",
            "two.example"),
        row(" a@one.example, b@ONE.example.", FromStatus.MULTIPLE_ADDRESSES, "one.example"),
        row(
            " \"Doe, John\" <j@example.com>, x@[192.0.2.1]",
            FromStatus.MULTIPLE_ADDRESSES,
            "example.com"),
        row(" Doe, John <j@example.com>", FromStatus.UNPARSEABLE),
        // IDN and trailing dots
        row(" user@b\u00c3\u00bccher.example", FromStatus.OK, "xn--bcher-kva.example"),
        row(" user@xn--bcher-kva.example", FromStatus.OK, "xn--bcher-kva.example"),
        row(" \u00c3\u00bc@b\u00c3\u00bccher.example", FromStatus.OK, "xn--bcher-kva.example"),
        row(" user@example.com.", FromStatus.OK, "example.com"),
        row(" user@example.com..", FromStatus.INVALID_DOMAIN),
        row(" user@.example.com", FromStatus.INVALID_DOMAIN),
        row(" user@b\u00fccher.example", FromStatus.INVALID_DOMAIN), // Latin-1 byte, not UTF-8
        row(" user@exa$mple.com", FromStatus.INVALID_DOMAIN),
        row(" user@" + "a".repeat(64) + ".example", FromStatus.INVALID_DOMAIN),
        // literals
        row(" user@[192.0.2.1]", FromStatus.DOMAIN_LITERAL),
        row(" <user@[IPv6:2001:db8::1]>", FromStatus.DOMAIN_LITERAL),
        row(" user@[192.0.2.1", FromStatus.UNPARSEABLE),
        // more real-world shapes
        row(" \"Name\" <user@example.com> (via list)", FromStatus.OK, "example.com"),
        row(" J\u00c3\u00b6rg M\u00c3\u00bcller <jorg@example.de>", FromStatus.OK, "example.de"),
        row(" \"J\u00c3\u00b6rg\" <jorg@example.de>", FromStatus.OK, "example.de"),
        row(" user@example.com,", FromStatus.OK, "example.com"),
        row(" <user@example.com> <other@example.com>", FromStatus.UNPARSEABLE),
        row(" \"\" <user@example.com>", FromStatus.OK, "example.com"),
        row(" Name<user@example.com>", FromStatus.OK, "example.com"),
        row("\t<USER@MAIL.EXAMPLE.COM>", FromStatus.OK, "mail.example.com"),
        row(" user@sub_domain.example.com", FromStatus.OK, "sub_domain.example.com"),
        row(" user@-weird-.example.com", FromStatus.OK, "-weird-.example.com"),
        row(" \"user@example.com\"", FromStatus.UNPARSEABLE),
        row(" Mail Delivery System <>", FromStatus.UNPARSEABLE),
        row(" user@localhost", FromStatus.OK, "localhost"),
        row(" user@example.com;", FromStatus.UNPARSEABLE),
        // nothing or nonsense
        row("", FromStatus.NO_ADDRESS),
        row("   ", FromStatus.NO_ADDRESS),
        row(" (only a comment)", FromStatus.NO_ADDRESS),
        row(" postmaster", FromStatus.UNPARSEABLE),
        row(" John Doe", FromStatus.UNPARSEABLE),
        row(" @example.com", FromStatus.UNPARSEABLE),
        row(" user@", FromStatus.UNPARSEABLE),
        row(" <>", FromStatus.UNPARSEABLE),
        row(" <user@example.com", FromStatus.UNPARSEABLE),
        row(" user@example.com>", FromStatus.UNPARSEABLE),
        row(" <user@example.com> trailing", FromStatus.UNPARSEABLE),
        row(" user@@example.com", FromStatus.UNPARSEABLE),
        row(" a\u0001b@example.com", FromStatus.UNPARSEABLE),
        row(" user@example.com\\", FromStatus.UNPARSEABLE));
  }

  @TestFactory
  @DisplayName("RFC 9989 §5.3.1, §11.4 and §11.5, RFC 8616 §6: From values")
  Stream<DynamicTest> ofValue_table_matchesExpectation() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Row r : rows()) {
      tests.add(
          DynamicTest.dynamicTest(
              "[" + r.value() + "] -> " + r.status(),
              () -> {
                AuthorDomains a = AuthorDomains.ofValue(r.value());
                assertThat(a.status()).as(a.detail()).isEqualTo(r.status());
                assertThat(a.domains())
                    .extracting(DomainName::name)
                    .containsExactlyElementsOf(r.domains());
                assertThat(a.domain().isPresent()).isEqualTo(r.status() == FromStatus.OK);
                assertThat(a.detail().isEmpty()).isEqualTo(r.status() == FromStatus.OK);
              }));
    }
    return tests.stream();
  }

  private static final MessageHeaderParser PARSER = MessageHeaderParser.create();

  private static AuthorDomains of(String header) {
    return AuthorDomains.of(PARSER.parse(header.getBytes(StandardCharsets.ISO_8859_1)));
  }

  @Test
  @DisplayName("RFC 9989 §5.3.1 and §11.5: no From field is MISSING")
  void of_noFromField_missing() {
    assertThat(of("To: a@b.example\r\nSubject: x\r\n\r\n").status()).isEqualTo(FromStatus.MISSING);
    assertThat(of("").status()).isEqualTo(FromStatus.MISSING);
  }

  @Test
  @DisplayName(
      "RFC 9989 §5.3.1 and §11.5: two From fields are MULTIPLE_FIELDS listing every domain, never the first")
  void of_twoFromFields_multipleFields() {
    AuthorDomains a =
        of("From: a@one.example\r\nSubject: x\r\nfrom: Other <b@two.example>\r\n\r\n");
    assertThat(a.status()).isEqualTo(FromStatus.MULTIPLE_FIELDS);
    assertThat(a.domain()).isEmpty();
    assertThat(a.domains())
        .extracting(DomainName::name)
        .containsExactly("one.example", "two.example");
    assertThat(a.mailboxes()).extracting(Mailbox::localPart).containsExactly("a", "b");
  }

  @Test
  @DisplayName("RFC 9989 §5.3.1 and §11.5: identical From fields are still MULTIPLE_FIELDS")
  void of_duplicateFromFields_multipleFields() {
    AuthorDomains a = of("From: a@one.example\r\nFrom: a@one.example\r\n\r\n");
    assertThat(a.status()).isEqualTo(FromStatus.MULTIPLE_FIELDS);
    assertThat(a.domains()).extracting(DomainName::name).containsExactly("one.example");
  }

  @Test
  @DisplayName("RFC 9989 §5.3.1: folded From field with obs whitespace before the colon")
  void of_foldedFrom_ok() {
    AuthorDomains a =
        of("From :\r\n \"Example Sender\"\r\n\t<sender@Mail.Example.ORG>\r\nTo: x@y\r\n\r\n");
    assertThat(a.status()).isEqualTo(FromStatus.OK);
    assertThat(a.domain()).map(DomainName::name).contains("mail.example.org");
    assertThat(a.mailboxes().get(0).displayName()).contains("Example Sender");
  }

  @Test
  @DisplayName(
      "RFC 9989 §5.3.1: mailbox parts: display name words, quoted local part, IDN domain as written")
  void ofValue_mailboxParts() {
    Mailbox m =
        AuthorDomains.ofValue(" Jane  \"Q.\"  Doe <\"jane doe\"@b\u00c3\u00bccher.example>")
            .mailboxes()
            .get(0);
    assertThat(m.displayName()).contains("Jane Q. Doe");
    assertThat(m.localPart()).isEqualTo("jane doe");
    assertThat(m.domain()).isEqualTo("b\u00fccher.example");
    assertThat(m.domainLiteral()).isFalse();
    Mailbox lit = AuthorDomains.ofValue(" u@[192.0.2.1]").mailboxes().get(0);
    assertThat(lit.domainLiteral()).isTrue();
    assertThat(lit.domain()).isEqualTo("192.0.2.1");
    assertThat(lit.displayName()).isEqualTo(Optional.empty());
  }

  @Test
  @DisplayName(
      "RFC 9989 §5.3.1: seeded fuzz: random From values never throw and OK always has one domain")
  void ofValue_randomInput_neverThrows() {
    Random rnd = new Random(20261127L);
    String alphabet = "ab.@<>,;:\"()[]\\ \t=?\u00c3\u00bc\u0001x-";
    for (int iter = 0; iter < 50_000; iter++) {
      StringBuilder sb = new StringBuilder();
      int n = rnd.nextInt(40);
      for (int k = 0; k < n; k++) {
        sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
      }
      AuthorDomains a = AuthorDomains.ofValue(sb.toString());
      if (a.status() == FromStatus.OK) {
        assertThat(a.domains()).hasSize(1);
        assertThat(a.mailboxes()).hasSize(1);
      } else {
        assertThat(a.domain()).isEmpty();
      }
    }
  }
}
