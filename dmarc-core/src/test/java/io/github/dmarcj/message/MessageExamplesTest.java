// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.domain.DiscoveryMethod;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.domain.OrganizationalDomainFinder;
import io.github.dmarcj.domain.OrganizationalDomainOutcome;
import io.github.dmarcj.domain.PublicSuffixList;
import io.github.dmarcj.domain.PublicSuffixListLoad;
import io.github.dmarcj.domain.ReloadablePublicSuffixList;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The usage shown in docs/message.md, compiled and run. */
final class MessageExamplesTest {
  private static final byte[] MESSAGE =
      ("DKIM-Signature: v=1; d=example.com;\r\n\tb=abc\r\n"
              + "From: \"Example\" <news@mail.example.co.uk>\r\n"
              + "Subject: hi\r\n"
              + "\r\n"
              + "body\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  @Test
  @DisplayName(
      "RFC 9989 §5.3.1, RFC 7489 §3.2: documented flow: parse, Author Domain, organizational domain")
  void documentedFlow_runs() {
    MessageHeaderParser parser = MessageHeaderParser.create();
    ParsedHeader header = parser.parse(MESSAGE);
    HeaderField sig = header.fields("DKIM-Signature").get(0);
    assertThat(new String(sig.raw(), StandardCharsets.US_ASCII))
        .isEqualTo("DKIM-Signature: v=1; d=example.com;\r\n\tb=abc\r\n");
    byte[] body = Arrays.copyOfRange(MESSAGE, header.bodyOffset(), MESSAGE.length);
    assertThat(new String(body, StandardCharsets.US_ASCII)).isEqualTo("body\r\n");

    AuthorDomains from = AuthorDomains.of(header);
    assertThat(from.status()).isEqualTo(FromStatus.OK);
    DomainName author = from.domain().orElseThrow();
    assertThat(author.name()).isEqualTo("mail.example.co.uk");

    PublicSuffixList psl = PublicSuffixList.bundled();
    assertThat(psl.publicSuffix(author).name()).isEqualTo("co.uk");
    assertThat(psl.organizationalDomain(author).name()).isEqualTo("example.co.uk");
  }

  @Test
  @DisplayName("RFC 7489 §3.2: documented holder: reload from a file, find with the current list")
  void documentedHolder_runs(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("public_suffix_list.dat");
    Files.writeString(file, "// VERSION: test\nuk\nco.uk\nexample.co.uk\n");
    ReloadablePublicSuffixList holder =
        ReloadablePublicSuffixList.builder()
            .timeout(Duration.ofSeconds(30))
            .maxBytes(16 << 20)
            .sections(PublicSuffixList.Sections.ALL)
            .build();
    PublicSuffixListLoad load = holder.reload(file.toUri());
    assertThat(load).isInstanceOf(PublicSuffixListLoad.Loaded.class);
    assertThat(holder.current().version().version()).contains("test");
    OrganizationalDomainFinder finder = holder.organizationalDomainFinder();
    OrganizationalDomainOutcome outcome =
        finder.find(DomainName.of("mail.example.co.uk")).toCompletableFuture().join();
    assertThat(outcome)
        .isEqualTo(
            new OrganizationalDomainOutcome.Found(
                DomainName.of("mail.example.co.uk"),
                DiscoveryMethod.PSL,
                java.util.Optional.of(holder.current().version())));
  }
}
