// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

final class PublicSuffixListTest {
  private static final PublicSuffixList PSL = PublicSuffixList.bundled();

  private static String resource(String name) throws IOException {
    try (InputStream in = PublicSuffixListTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The registrable domain of a test input; null input or an invalid name has none. */
  private static Optional<DomainName> registrable(String input) {
    if (input == null) {
      return Optional.empty();
    }
    return DomainName.parse(input).flatMap(PSL::registrableDomain);
  }

  private static Optional<DomainName> expected(String text) {
    return text == null ? Optional.empty() : Optional.of(DomainName.of(text));
  }

  private static final Pattern CHECK =
      Pattern.compile("^checkPublicSuffix\\((null|'([^']*)'), (null|'([^']*)')\\);$");

  @TestFactory
  @DisplayName(
      "RFC 7489 §3.2: publicsuffix/list tests/test_psl.txt (82 checkPublicSuffix calls, 4 commented out upstream)")
  Stream<DynamicTest> registrableDomain_testPslTxt_matchesList() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    int disabled = 0;
    for (String line : resource("/publicsuffix-list/test_psl.txt").split("\n")) {
      if (line.startsWith("//checkPublicSuffix(")) {
        // Upstream comments these out ("listed, but non-Internet, TLD"); they stay visible here.
        disabled++;
        tests.add(
            DynamicTest.dynamicTest(
                line, () -> Assumptions.abort("commented out in the upstream test_psl.txt")));
        continue;
      }
      if (!line.startsWith("checkPublicSuffix(")) {
        continue;
      }
      Matcher m = CHECK.matcher(line);
      assertThat(m.matches()).as(line).isTrue();
      String input = m.group(2);
      String out = m.group(4);
      tests.add(
          DynamicTest.dynamicTest(
              line, () -> assertThat(registrable(input)).isEqualTo(expected(out))));
    }
    assertThat(tests).hasSize(82);
    assertThat(disabled).isEqualTo(4);
    return tests.stream();
  }

  @TestFactory
  @DisplayName("RFC 7489 §3.2: publicsuffix/list tests/tests.txt (78 input/expected pairs)")
  Stream<DynamicTest> registrableDomain_testsTxt_matchesList() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String line : resource("/publicsuffix-list/tests.txt").split("\n")) {
      if (line.isBlank() || line.startsWith("//")) {
        continue;
      }
      String[] parts = line.trim().split(" ");
      assertThat(parts).as(line).hasSize(2);
      String input = parts[0].equals("null") ? null : parts[0];
      String out = parts[1].equals("null") ? null : parts[1];
      tests.add(
          DynamicTest.dynamicTest(
              line, () -> assertThat(registrable(input)).isEqualTo(expected(out))));
    }
    assertThat(tests).hasSize(78);
    return tests.stream();
  }

  @Test
  @DisplayName("bundled snapshot records its commit, hash and rule count")
  void bundled_version_matchesSourceMd() throws Exception {
    PublicSuffixListVersion v = PSL.version();
    assertThat(v.source()).isEqualTo("bundled");
    assertThat(v.commit()).contains(PublicSuffixList.BUNDLED_COMMIT);
    assertThat(v.version()).isEmpty();
    String sourceMd = resource("/io/github/dmarcj/domain/publicsuffix/SOURCE.md");
    assertThat(sourceMd).contains(PublicSuffixList.BUNDLED_COMMIT).contains(v.sha256());
    byte[] dat;
    try (InputStream in =
        PublicSuffixList.class.getResourceAsStream(PublicSuffixList.BUNDLED_RESOURCE)) {
      dat = in.readAllBytes();
    }
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(dat)))
        .isEqualTo(v.sha256());
    assertThat(v.ruleCount()).isEqualTo(10_248);
    assertThat(PSL.sections()).isEqualTo(PublicSuffixList.Sections.ALL);
    assertThat(PublicSuffixList.bundled()).isSameAs(PSL);
  }

  @Test
  @DisplayName("RFC 7489 §3.2: public suffix, registrable domain and organizational domain")
  void lookups_commonNames() {
    assertThat(PSL.publicSuffix(DomainName.of("www.example.co.uk")).name()).isEqualTo("co.uk");
    assertThat(PSL.registrableDomain(DomainName.of("www.example.co.uk")))
        .map(DomainName::name)
        .contains("example.co.uk");
    assertThat(PSL.organizationalDomain(DomainName.of("a.b.mail.example.com")).name())
        .isEqualTo("example.com");
    assertThat(PSL.isPublicSuffix(DomainName.of("co.uk"))).isTrue();
    assertThat(PSL.isPublicSuffix(DomainName.of("example.co.uk"))).isFalse();
    assertThat(PSL.publicSuffix(DomainName.of("unlisted-tld-xyz")).name())
        .isEqualTo("unlisted-tld-xyz");
    assertThat(PSL.registrableDomain(DomainName.of("a.b.unlisted-tld-xyz")))
        .map(DomainName::name)
        .contains("b.unlisted-tld-xyz");
  }

  @Test
  @DisplayName(
      "RFC 7489 §3.2: a name that is itself a public suffix is its own organizational domain")
  void organizationalDomain_publicSuffix_isItself() {
    assertThat(PSL.organizationalDomain(DomainName.of("co.uk")).name()).isEqualTo("co.uk");
    assertThat(PSL.organizationalDomain(DomainName.of("com")).name()).isEqualTo("com");
    assertThat(PSL.registrableDomain(DomainName.of("com"))).isEmpty();
  }

  @Test
  @DisplayName("RFC 7489 §3.2: PRIVATE rules count by default; ICANN_ONLY ignores them")
  void withSections_icannOnly_ignoresPrivateRules() {
    DomainName name = DomainName.of("foo.blogspot.com");
    assertThat(PSL.registrableDomain(name)).map(DomainName::name).contains("foo.blogspot.com");
    PublicSuffixList icann = PSL.withSections(PublicSuffixList.Sections.ICANN_ONLY);
    assertThat(icann.registrableDomain(name)).map(DomainName::name).contains("blogspot.com");
    assertThat(icann.sections()).isEqualTo(PublicSuffixList.Sections.ICANN_ONLY);
    assertThat(icann.version()).isEqualTo(PSL.version());
    assertThat(icann.withSections(PublicSuffixList.Sections.ALL).registrableDomain(name))
        .map(DomainName::name)
        .contains("foo.blogspot.com");
    assertThat(icann.registrableDomain(DomainName.of("www.example.co.uk")))
        .map(DomainName::name)
        .contains("example.co.uk");
  }

  @Test
  @DisplayName("RFC 7489 §3.2: wildcard, exception and section rules of a small list")
  void of_smallList_appliesRuleKinds() {
    PublicSuffixList l =
        PublicSuffixList.of(
            "// ===BEGIN ICANN DOMAINS===\n"
                + "test\n"
                + "*.wild.test\n"
                + "!keep.wild.test\n"
                + "b\u00fccher.test   trailing text is ignored\n"
                + "// ===END ICANN DOMAINS===\n"
                + "// ===BEGIN PRIVATE DOMAINS===\n"
                + "host.test\n"
                + "// ===END PRIVATE DOMAINS===\n");
    assertThat(reg(l, "a.b.wild.test")).contains("a.b.wild.test");
    assertThat(reg(l, "b.wild.test")).isEmpty();
    assertThat(reg(l, "x.keep.wild.test")).contains("keep.wild.test");
    assertThat(reg(l, "keep.wild.test")).contains("keep.wild.test");
    assertThat(reg(l, "wild.test")).contains("wild.test");
    assertThat(reg(l, "a.xn--bcher-kva.test")).contains("a.xn--bcher-kva.test");
    assertThat(reg(l, "a.b\u00fccher.test")).contains("a.xn--bcher-kva.test");
    assertThat(reg(l, "a.b.host.test")).contains("b.host.test");
    assertThat(reg(l.withSections(PublicSuffixList.Sections.ICANN_ONLY), "a.b.host.test"))
        .contains("host.test");
    assertThat(l.version().ruleCount()).isEqualTo(5);
  }

  private static Optional<String> reg(PublicSuffixList l, String name) {
    return l.registrableDomain(DomainName.of(name)).map(DomainName::name);
  }

  @Test
  @DisplayName("VERSION and COMMIT header lines are recorded")
  void read_headerLines_recordedInVersion() {
    String text = "// VERSION: 2026-11-20_07-00-00_UTC\n// COMMIT: abc123\n\r\ncom\r\n";
    PublicSuffixListLoad load =
        PublicSuffixList.read(
            new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "mem");
    PublicSuffixListVersion v = load.orElseThrow().version();
    assertThat(v.version()).contains("2026-11-20_07-00-00_UTC");
    assertThat(v.commit()).contains("abc123");
    assertThat(v.source()).isEqualTo("mem");
    assertThat(v.ruleCount()).isEqualTo(1);
  }

  @Test
  @DisplayName("RFC 7489 §3.2: invalid lists are refused with a typed reason")
  void read_invalidLists_failWithReason() {
    assertThat(failure("com\n<html>\n")).isEqualTo(PublicSuffixListLoad.Reason.INVALID_RULE);
    assertThat(failure("a.*.com\n")).isEqualTo(PublicSuffixListLoad.Reason.INVALID_RULE);
    assertThat(failure("!com\n")).isEqualTo(PublicSuffixListLoad.Reason.INVALID_RULE);
    assertThat(failure("a..com\n")).isEqualTo(PublicSuffixListLoad.Reason.INVALID_RULE);
    assertThat(failure("com.\n")).isEqualTo(PublicSuffixListLoad.Reason.INVALID_RULE);
    assertThat(failure("// only comments\n\n")).isEqualTo(PublicSuffixListLoad.Reason.NO_RULES);
    assertThat(failure("")).isEqualTo(PublicSuffixListLoad.Reason.NO_RULES);
    PublicSuffixListLoad notUtf8 =
        PublicSuffixList.read(new ByteArrayInputStream(new byte[] {'c', (byte) 0xff, '\n'}), "m");
    assertThat(((PublicSuffixListLoad.Failed) notUtf8).reason())
        .isEqualTo(PublicSuffixListLoad.Reason.NOT_UTF8);
    PublicSuffixListLoad big =
        PublicSuffixList.read(new ByteArrayInputStream(new byte[11]), "m", 10);
    assertThat(((PublicSuffixListLoad.Failed) big).reason())
        .isEqualTo(PublicSuffixListLoad.Reason.TOO_LARGE);
    assertThat(
            PublicSuffixList.read(
                new ByteArrayInputStream("com\n".getBytes(StandardCharsets.UTF_8)), "m", 4))
        .isInstanceOf(PublicSuffixListLoad.Loaded.class);
    assertThatThrownBy(() -> PublicSuffixList.of("<html>"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(big::orElseThrow).isInstanceOf(IllegalStateException.class);
  }

  private static PublicSuffixListLoad.Reason failure(String text) {
    PublicSuffixListLoad load =
        PublicSuffixList.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "m");
    assertThat(load).isInstanceOf(PublicSuffixListLoad.Failed.class);
    return ((PublicSuffixListLoad.Failed) load).reason();
  }

  @Test
  @DisplayName("RFC 7489 §3.2: a list file is read; a missing file is IO_ERROR")
  void read_file_loadsOrFails(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("psl.dat");
    Files.writeString(f, "example\n");
    PublicSuffixList l = PublicSuffixList.read(f).orElseThrow();
    assertThat(l.version().source()).isEqualTo(f.toString());
    assertThat(reg(l, "a.b.example")).contains("b.example");
    PublicSuffixListLoad missing = PublicSuffixList.read(dir.resolve("nope"));
    assertThat(((PublicSuffixListLoad.Failed) missing).reason())
        .isEqualTo(PublicSuffixListLoad.Reason.IO_ERROR);
  }

  @Test
  @DisplayName("RFC 7489 §3.2: the finder answers at once with the PSL method and the list used")
  void organizationalDomainFinder_answersWithPsl() {
    OrganizationalDomainOutcome o =
        PSL.organizationalDomainFinder()
            .find(DomainName.of("mail.example.co.uk"))
            .toCompletableFuture()
            .join();
    assertThat(o)
        .isEqualTo(
            new OrganizationalDomainOutcome.Found(
                DomainName.of("example.co.uk"),
                DiscoveryMethod.PSL,
                java.util.Optional.of(PSL.version())));
  }
}
