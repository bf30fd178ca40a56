// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.bench;

import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.domain.PublicSuffixList;
import io.github.dmarcj.message.AuthorDomains;
import io.github.dmarcj.message.MessageHeaderParser;
import io.github.dmarcj.message.ParsedHeader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.james.mime4j.field.address.DefaultAddressParser;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Header parsing, From extraction and Public Suffix List lookups against Apache mime4j 0.8.12 (the
 * parser under Apache jDKIM 0.5).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MessageParsingBenchmark {
  /** A typical received message: 20 fields, folded Received and DKIM-Signature, short body. */
  static final byte[] MESSAGE =
      ("Return-Path: <bounce+1234@mail.example.com>\r\n"
              + "Received: from mx.example.net (mx.example.net [192.0.2.10])\r\n"
              + "\tby mail.example.org (Postfix) with ESMTPS id 4F1A2B3C4D\r\n"
              + "\tfor <user@example.org>; Fri, 27 Nov 2026 10:00:00 +0000 (UTC)\r\n"
              + "Received: from [10.0.0.5] (unknown [198.51.100.7])\r\n"
              + "\tby mx.example.net with ESMTPSA id abcdef; Fri, 27 Nov 2026 09:59:59 +0000\r\n"
              + "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com;\r\n"
              + "\ts=s2026; t=1795773599; bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
              + "\th=From:To:Subject:Date:Message-ID:MIME-Version:Content-Type;\r\n"
              + "\tb=dzdVyOfAKCdLXdJOc9G2q8LoXSlEniSbav+yuU4zGeeruD00lszZVoG4ZHRNiYzR\r\n"
              + "\t PMrSlKRmWmuRB1k/ADhr5k+SUDTR3vVF0RWv9HMuXkpGTprgWt8gFHzXmEgy3sEmKfs=\r\n"
              + "Authentication-Results: mail.example.org; spf=pass smtp.mailfrom=example.com\r\n"
              + "From: \"Example Sender\" <sender@mail.example.com>\r\n"
              + "To: Some User <user@example.org>, other@example.org\r\n"
              + "Cc: =?utf-8?B?SsO2cmc=?= <jorg@example.de>\r\n"
              + "Subject: Quarterly report for the example project, with a long subject line\r\n"
              + " that needs folding\r\n"
              + "Date: Fri, 27 Nov 2026 09:59:58 +0000\r\n"
              + "Message-ID: <20261127095958.12345@mail.example.com>\r\n"
              + "MIME-Version: 1.0\r\n"
              + "Content-Type: text/plain; charset=utf-8\r\n"
              + "Content-Transfer-Encoding: 8bit\r\n"
              + "List-Unsubscribe: <mailto:unsubscribe@example.com?subject=unsubscribe>\r\n"
              + "X-Mailer: Example Mailer 1.0\r\n"
              + "\r\n"
              + "Hello,\r\n\r\nthe report is attached.\r\n")
          .getBytes(StandardCharsets.ISO_8859_1);

  static final String FROM_VALUE = " \"Example Sender\" <sender@mail.example.com>";

  private final MessageHeaderParser parser = MessageHeaderParser.create();
  private final PublicSuffixList psl = PublicSuffixList.bundled();
  private final DomainName deep = DomainName.of("a.b.mail.example.co.uk");
  private final DomainName wild = DomainName.of("www.city.kawasaki.jp");
  private final MimeConfig mimeConfig = MimeConfig.PERMISSIVE;

  @Benchmark
  public int header_dmarcj() {
    ParsedHeader h = parser.parse(MESSAGE);
    return h.fields().size() + h.bodyOffset();
  }

  @Benchmark
  public int header_dmarcjStream() throws Exception {
    ParsedHeader h = parser.parse(new ByteArrayInputStream(MESSAGE));
    return h.fields().size() + h.bodyOffset();
  }

  @Benchmark
  public int header_mime4jTokenStream() throws Exception {
    MimeTokenStream s = new MimeTokenStream(mimeConfig);
    s.parse(new ByteArrayInputStream(MESSAGE));
    int n = 0;
    for (EntityState st = s.getState(); st != EntityState.T_END_OF_STREAM; st = s.next()) {
      if (st == EntityState.T_FIELD) {
        n += s.getField().getRaw().length();
      } else if (st == EntityState.T_END_HEADER) {
        break;
      }
    }
    return n;
  }

  @Benchmark
  public Object fromDomain_dmarcj() {
    return AuthorDomains.ofValue(FROM_VALUE).domain().orElseThrow();
  }

  @Benchmark
  public Object fromDomain_mime4j() throws Exception {
    return DefaultAddressParser.DEFAULT.parseAddressList(FROM_VALUE).flatten().get(0).getDomain();
  }

  @Benchmark
  public Object headerAndFrom_dmarcj() {
    return AuthorDomains.of(parser.parse(MESSAGE)).domain().orElseThrow();
  }

  @Benchmark
  public Object psl_registrable_deep() {
    return psl.registrableDomain(deep).orElseThrow();
  }

  @Benchmark
  public Object psl_registrable_exception() {
    return psl.registrableDomain(wild).orElseThrow();
  }
}
