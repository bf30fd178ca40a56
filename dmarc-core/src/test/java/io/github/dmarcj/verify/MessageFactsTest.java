// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.message.MessageHeaderParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageFactsTest {
  @Test
  void readsDomainSelectorAndAlgorithmAcrossFolds() {
    MessageFacts.Signature s =
        MessageFacts.signature(
            " v=1; a=rsa-\r\n\tsha256; d = Mail.Example.COM ;\r\n s=sel\r\n 2026; b=abc def; h=from");
    assertThat(s)
        .isEqualTo(new MessageFacts.Signature("mail.example.com", "sel2026", "rsa-sha256"));
  }

  @Test
  void toleratesTagsWithoutValuesAndEmptyInput() {
    assertThat(MessageFacts.signature("")).isEqualTo(new MessageFacts.Signature("", "", ""));
    assertThat(MessageFacts.signature("garbage; ;;d=x.example;s"))
        .isEqualTo(new MessageFacts.Signature("x.example", "", ""));
    assertThat(MessageFacts.signature("s=a=b; d=;"))
        .isEqualTo(new MessageFacts.Signature("", "a=b", ""));
  }

  @Test
  void signaturesAreReadInHeaderOrderOnlyWhenAsked() {
    byte[] m =
        ("DKIM-Signature: v=1; d=one.example; s=s1; a=ed25519-sha256\r\n"
                + "From: a@one.example\r\n"
                + "DKIM-Signature: v=1; d=two.example; s=s2; a=rsa-sha256\r\n\r\nbody\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    MessageFacts f = MessageFacts.of(m, MessageHeaderParser.create());
    assertThat(f.signatureCount()).isEqualTo(2);
    assertThat(f.signatures())
        .containsExactly(
            new MessageFacts.Signature("one.example", "s1", "ed25519-sha256"),
            new MessageFacts.Signature("two.example", "s2", "rsa-sha256"));
  }
}
