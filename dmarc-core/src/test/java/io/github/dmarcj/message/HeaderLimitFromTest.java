// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.domain.DomainName;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A header limit stops the field list, never the search for From fields: no number of junk fields
 * and no oversized field above a From field may hide it (RFC 5322 §3.6.2, RFC 9989 §5.3.1).
 */
final class HeaderLimitFromTest {
  private static final MessageHeaderParser PARSER = MessageHeaderParser.create();

  static String junkFields(int n) {
    StringBuilder b = new StringBuilder(n * 12);
    for (int i = 0; i < n; i++) {
      b.append("X-J").append(i).append(": j\r\n");
    }
    return b.toString();
  }

  static String bigField(int bytes) {
    StringBuilder b = new StringBuilder(bytes + 64).append("X-Big: ");
    while (b.length() < bytes) {
      b.append("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n ");
    }
    return b.append("end\r\n").toString();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * The same bytes through every entry point: array, markable and unmarkable stream, direct buffer.
   */
  static List<ParsedHeader> everyWay(byte[] in) throws IOException {
    List<ParsedHeader> out = new ArrayList<>();
    out.add(PARSER.parse(in));
    out.add(PARSER.parse(new ByteArrayInputStream(in)));
    out.add(
        PARSER.parse(
            new FilterInputStream(new ByteArrayInputStream(in)) {
              @Override
              public boolean markSupported() {
                return false;
              }
            }));
    ByteBuffer direct = ByteBuffer.allocateDirect(in.length);
    direct.put(in).flip();
    out.add(PARSER.parse(direct));
    return out;
  }

  @Test
  void fromAfterTooManyFields_isStillFound() throws IOException {
    byte[] in = bytes(junkFields(1001) + "From: ceo@bank.example\r\nSubject: hi\r\n\r\nbody");
    for (ParsedHeader h : everyWay(in)) {
      assertThat(h.isTruncated()).isTrue();
      assertThat(h.problem(HeaderProblem.Reason.TOO_MANY_FIELDS)).isPresent();
      assertThat(h.fields("From")).isEmpty();
      assertThat(h.fromFieldCount()).isEqualTo(1);
      assertThat(h.fromFields())
          .extracting(HeaderField::value)
          .containsExactly(" ceo@bank.example");
      AuthorDomains a = AuthorDomains.of(h);
      assertThat(a.status()).isEqualTo(FromStatus.OK);
      assertThat(a.domain()).contains(DomainName.of("bank.example"));
      assertThat(h.bodyOffset()).isEqualTo(in.length - 4);
    }
  }

  @Test
  void fromAfterOneHugeField_isStillFound() throws IOException {
    byte[] in = bytes(bigField(2 << 20) + "FROM :  <ceo@bank.example>\r\n\r\nbody");
    for (ParsedHeader h : everyWay(in)) {
      assertThat(h.problem(HeaderProblem.Reason.HEADER_TOO_LARGE)).isPresent();
      assertThat(h.fields()).isEmpty();
      assertThat(AuthorDomains.of(h).domain()).contains(DomainName.of("bank.example"));
      assertThat(h.bodyOffset()).isEqualTo(in.length - 4);
    }
  }

  @Test
  void secondFromAfterTenThousandFields_makesMultipleFields() throws IOException {
    byte[] in =
        bytes("From: a@good.example\r\n" + junkFields(10_000) + "From: b@evil.example\r\n\r\n");
    for (ParsedHeader h : everyWay(in)) {
      assertThat(h.fromFieldCount()).isEqualTo(2);
      AuthorDomains a = AuthorDomains.of(h);
      assertThat(a.status()).isEqualTo(FromStatus.MULTIPLE_FIELDS);
      assertThat(a.domains())
          .containsExactly(DomainName.of("good.example"), DomainName.of("evil.example"));
    }
  }

  @Test
  void fromFieldLargerThanEveryLimit_isCountedAndUnreadable() throws IOException {
    StringBuilder from = new StringBuilder("From: ceo@bank.example");
    while (from.length() < (2 << 20)) {
      from.append(",\r\n x").append(from.length()).append("@other.example");
    }
    byte[] in = bytes(from + "\r\nSubject: x\r\n\r\n");
    for (ParsedHeader h : everyWay(in)) {
      assertThat(h.isTruncated()).isTrue();
      assertThat(h.fromFieldCount()).isEqualTo(1);
      assertThat(h.fromFields()).isEmpty();
      AuthorDomains a = AuthorDomains.of(h);
      assertThat(a.status()).isEqualTo(FromStatus.UNPARSEABLE);
      assertThat(a.domain()).isEmpty();
    }
  }

  @Test
  void hugeFromPlusSmallFrom_isMultipleNotTheSmallOne() throws IOException {
    byte[] in =
        bytes(bigField(2 << 20).replace("X-Big:", "From:") + "From: ceo@bank.example\r\n\r\n");
    for (ParsedHeader h : everyWay(in)) {
      assertThat(h.fromFieldCount()).isEqualTo(2);
      assertThat(AuthorDomains.of(h).status()).isEqualTo(FromStatus.MULTIPLE_FIELDS);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "From:x@a.example",
        "from\t: x@a.example",
        "FrOm   :x@a.example",
        "From:\r\n x@a.example"
      })
  void fromSpellingsPastTheLimit_areSeenLikeBeforeIt(String field) throws IOException {
    byte[] in = bytes(junkFields(1001) + field + "\r\n\r\n");
    for (ParsedHeader h : everyWay(in)) {
      assertThat(h.fromFieldCount()).as(field).isEqualTo(1);
      assertThat(AuthorDomains.of(h).domain()).contains(DomainName.of("a.example"));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Fromage: x@a.example",
        " From: x@a.example",
        "X-From: x@a.example",
        "From x@a.example",
        "Fro: x@a.example",
        "\rFrom: x@a.example"
      })
  void notFromPastTheLimit_isNotCounted(String line) throws IOException {
    byte[] in = bytes(junkFields(1001) + line + "\r\n\r\n");
    for (ParsedHeader h : everyWay(in)) {
      assertThat(h.fromFieldCount()).as(line).isZero();
      assertThat(AuthorDomains.of(h).status()).isEqualTo(FromStatus.MISSING);
    }
  }

  @Test
  void fromInTheBodyPastTheLimit_isNotCounted() throws IOException {
    byte[] in = bytes(junkFields(1001) + "Subject: x\r\n\r\nFrom: x@a.example\r\n");
    for (ParsedHeader h : everyWay(in)) {
      assertThat(h.fromFieldCount()).isZero();
    }
  }

  @Test
  void bareLfHeaderPastTheLimit_scansLikeCrlf() throws IOException {
    byte[] in =
        bytes(junkFields(1001).replace("\r\n", "\n") + "From: x@a.example\n\nFrom: y@b.example\n");
    for (ParsedHeader h : everyWay(in)) {
      assertThat(h.fromFieldCount()).isEqualTo(1);
      assertThat(h.bodyOffset()).isEqualTo(in.length - "From: y@b.example\n".length());
    }
  }

  @Test
  void streamPastTheLimit_stopsAtTheEndOfTheHeader() throws IOException {
    byte[] in = bytes(bigField(2 << 20) + "From: x@a.example\r\n\r\nBODY");
    ByteArrayInputStream s = new ByteArrayInputStream(in);
    PARSER.parse(s);
    assertThat(s.readAllBytes()).isEqualTo(bytes("BODY"));
  }

  @Test
  void manyFromFieldsPastTheLimit_keepsABoundedNumber() throws IOException {
    StringBuilder b = new StringBuilder(junkFields(1001));
    for (int i = 0; i < 5000; i++) {
      b.append("From: x").append(i).append("@a.example\r\n");
    }
    ParsedHeader h = PARSER.parse(bytes(b + "\r\n"));
    assertThat(h.fromFieldCount()).isEqualTo(5000);
    assertThat(h.fromFields()).hasSize(FromScan.MAX_KEPT_FIELDS);
    assertThat(AuthorDomains.of(h).status()).isEqualTo(FromStatus.MULTIPLE_FIELDS);
  }

  @Test
  void fromScan_byteAtATime_sameAsAllAtOnce() {
    byte[] in = bytes("X: 1\r\nFrom: a@b.example\r\n x\r\nY: 2\r\nfrom :c@d.example\r\n\r\nB");
    FromScan whole = new FromScan(Long.MAX_VALUE);
    int end = whole.feed(in, 0, in.length);
    FromScan bytewise = new FromScan(Long.MAX_VALUE);
    int at = -1;
    for (int i = 0; i < in.length && at < 0; i++) {
      at = bytewise.feed(in, i, i + 1);
    }
    assertThat(end).isEqualTo(in.length - 1).isEqualTo(at);
    assertThat(whole.count()).isEqualTo(2).isEqualTo(bytewise.count());
    assertThat(whole.kept())
        .extracting(HeaderField::toString)
        .containsExactly("From: a@b.example\r\n x\r\n", "from :c@d.example\r\n");
    assertThat(bytewise.kept())
        .extracting(HeaderField::toString)
        .containsExactlyElementsOf(whole.kept().stream().map(HeaderField::toString).toList());
  }

  @Test
  void fromScan_givesUpAtItsBudget_andSaysSo() {
    byte[] in = bytes(junkFields(100) + "From: a@b.example\r\n\r\n");
    FromScan scan = new FromScan(50);
    assertThat(scan.feed(in, 0, in.length)).isEqualTo(-1);
    scan.finish();
    assertThat(scan.complete()).isFalse();
    assertThat(scan.count()).isZero();
  }

  @Test
  void untouchedHeader_unchangedByTheScan() throws IOException {
    byte[] in = bytes("From: a@b.example\r\nTo: c@d.example\r\n\r\nbody");
    ParsedHeader h = PARSER.parse(in);
    assertThat(h.isTruncated()).isFalse();
    assertThat(h.fromFields()).hasSize(1);
    assertThat(h.fromFieldCount()).isEqualTo(1);
    assertThat(h.fromScanComplete()).isTrue();
  }
}
