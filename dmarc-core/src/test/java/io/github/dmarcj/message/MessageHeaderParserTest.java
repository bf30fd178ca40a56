// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dmarcj.message.HeaderProblem.Reason;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

final class MessageHeaderParserTest {
  private static final MessageHeaderParser PARSER = MessageHeaderParser.create();

  /** One table row: input, expected raw fields, where the body starts, problems. */
  private record Case(
      String id,
      String input,
      List<String> fields,
      int bodyOffset,
      boolean separator,
      Set<Reason> problems) {}

  private static Case ok(String id, String input, List<String> fields, String body) {
    return new Case(id, input, fields, input.length() - body.length(), true, Set.of());
  }

  private static Case eof(String id, String input, List<String> fields, Reason... problems) {
    return new Case(id, input, fields, input.length(), false, set(problems));
  }

  private static Set<Reason> set(Reason... r) {
    return r.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(r));
  }

  private static List<Case> cases() {
    return List.of(
        ok("crlf", "A: 1\r\nB: 2\r\n\r\nbody\r\n", List.of("A: 1\r\n", "B: 2\r\n"), "body\r\n"),
        ok("bare lf", "A: 1\nB: 2\n\nbody\n", List.of("A: 1\n", "B: 2\n"), "body\n"),
        ok("mixed endings", "A: 1\r\nB: 2\n\r\nbody", List.of("A: 1\r\n", "B: 2\n"), "body"),
        ok("mixed separator lf", "A: 1\r\n\nbody", List.of("A: 1\r\n"), "body"),
        ok(
            "folded crlf",
            "Subject: a\r\n b\r\n\tc\r\nX: y\r\n\r\n",
            List.of("Subject: a\r\n b\r\n\tc\r\n", "X: y\r\n"),
            ""),
        ok("folded lf", "S: a\n b\n\nB", List.of("S: a\n b\n"), "B"),
        ok("empty value", "A:\r\nB:\r\n\r\n", List.of("A:\r\n", "B:\r\n"), ""),
        ok("no space after colon", "A:x\r\n\r\n", List.of("A:x\r\n"), ""),
        ok("obs wsp before colon", "Subject \t: x\r\n\r\n", List.of("Subject \t: x\r\n"), ""),
        ok("colon in value", "A: b:c:d\r\n\r\n", List.of("A: b:c:d\r\n"), ""),
        ok(
            "8-bit value",
            "S: \u00e4\u00ff\u0080\r\n\r\nb",
            List.of("S: \u00e4\u00ff\u0080\r\n"),
            "b"),
        ok("empty header", "\r\nbody", List.of(), "body"),
        ok("empty header lf", "\nbody", List.of(), "body"),
        ok("body starting with blank", "A: 1\n\n\nx", List.of("A: 1\n"), "\nx"),
        ok(
            "body with header-like lines",
            "A: 1\r\n\r\nFrom: x@y\r\n",
            List.of("A: 1\r\n"),
            "From: x@y\r\n"),
        ok(
            "whitespace-only line is a continuation",
            "A: 1\r\n \r\n\r\n",
            List.of("A: 1\r\n \r\n"),
            ""),
        eof("no body", "A: 1\r\nB: 2\r\n", List.of("A: 1\r\n", "B: 2\r\n")),
        eof("no final line ending", "A: 1\r\nB: 2", List.of("A: 1\r\n", "B: 2")),
        eof("final cr only", "A: 1\r", List.of("A: 1\r"), Reason.BARE_CR),
        eof("empty input", "", List.of()),
        eof("continuation at eof", "A: 1\r\n b", List.of("A: 1\r\n b")),
        eof(
            "no colon",
            "A: 1\r\nnot a field\r\nB: 2\r\n",
            List.of("A: 1\r\n", "B: 2\r\n"),
            Reason.MALFORMED_LINE),
        eof(
            "no colon with continuation",
            "garbage\r\n still garbage\r\nB: 2\r\n",
            List.of("B: 2\r\n"),
            Reason.MALFORMED_LINE),
        eof("empty name", ": x\r\nB: 2\r\n", List.of("B: 2\r\n"), Reason.MALFORMED_LINE),
        eof("space inside name", "Sub ject: x\r\n", List.of(), Reason.MALFORMED_LINE),
        eof("8-bit name", "S\u00e4: x\r\nB: 2\n", List.of("B: 2\n"), Reason.MALFORMED_LINE),
        eof(
            "mbox From_ line",
            "From a@b Mon Jan 1\nA: 1\n",
            List.of("A: 1\n"),
            Reason.MALFORMED_LINE),
        eof(
            "first line starts with space",
            " A: 1\r\nB: 2\r\n",
            List.of("B: 2\r\n"),
            Reason.ORPHAN_CONTINUATION),
        eof("first line starts with tab", "\tx\r\n\ty\r\n", List.of(), Reason.ORPHAN_CONTINUATION),
        eof(
            "nul in value",
            "A: \u0000x\r\nB: 2\r\n",
            List.of("A: \u0000x\r\n", "B: 2\r\n"),
            Reason.NUL_BYTE),
        eof("bare cr in value", "A: x\ry\r\n", List.of("A: x\ry\r\n"), Reason.BARE_CR),
        eof(
            "cr cr lf is not a blank line",
            "A: 1\r\n\r\r\nB: 2\r\n",
            List.of("A: 1\r\n", "B: 2\r\n"),
            Reason.BARE_CR,
            Reason.MALFORMED_LINE),
        eof(
            "several problems once each",
            "x\r\ny\r\nA: \u0000\u0000\r\n",
            List.of("A: \u0000\u0000\r\n"),
            Reason.MALFORMED_LINE,
            Reason.NUL_BYTE));
  }

  @TestFactory
  @DisplayName("RFC 5322 §2.2: header parser table: byte array, ByteBuffer, streams")
  Stream<DynamicTest> parse_table_matchesExpectation() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Case c : cases()) {
      byte[] in = c.input().getBytes(StandardCharsets.ISO_8859_1);
      tests.add(DynamicTest.dynamicTest(c.id() + " (byte[])", () -> check(c, PARSER.parse(in))));
      tests.add(
          DynamicTest.dynamicTest(
              c.id() + " (offset)",
              () -> {
                byte[] padded = new byte[in.length + 7];
                System.arraycopy(in, 0, padded, 3, in.length);
                check(c, PARSER.parse(padded, 3, in.length));
              }));
      tests.add(
          DynamicTest.dynamicTest(
              c.id() + " (direct ByteBuffer)",
              () -> {
                ByteBuffer bb = ByteBuffer.allocateDirect(in.length + 2);
                bb.put((byte) 'z').put(in).flip().position(1);
                check(c, PARSER.parse(bb));
                assertThat(bb.position()).isEqualTo(1);
              }));
      tests.add(
          DynamicTest.dynamicTest(
              c.id() + " (markable stream)",
              () -> {
                InputStream s = new ByteArrayInputStream(in);
                ParsedHeader h = PARSER.parse(s);
                check(c, h);
                assertThat(s.readAllBytes())
                    .isEqualTo(Arrays.copyOfRange(in, c.bodyOffset(), in.length));
              }));
      tests.add(
          DynamicTest.dynamicTest(
              c.id() + " (unmarkable stream)",
              () -> {
                InputStream s = new Unmarkable(new ByteArrayInputStream(in));
                check(c, PARSER.parse(s));
                assertThat(s.readAllBytes())
                    .isEqualTo(Arrays.copyOfRange(in, c.bodyOffset(), in.length));
              }));
    }
    return tests.stream();
  }

  private static void check(Case c, ParsedHeader h) {
    assertThat(h.fields())
        .extracting(f -> new String(f.raw(), StandardCharsets.ISO_8859_1))
        .containsExactlyElementsOf(c.fields());
    assertThat(h.bodyOffset()).as("body offset").isEqualTo(c.bodyOffset());
    assertThat(h.hasBodySeparator()).as("separator").isEqualTo(c.separator());
    assertThat(h.problems())
        .extracting(HeaderProblem::reason)
        .containsExactlyInAnyOrderElementsOf(c.problems());
    assertThat(h.isWellFormed()).isEqualTo(c.problems().isEmpty());
    assertThat(h.isTruncated()).isFalse();
  }

  @Test
  @DisplayName("RFC 5322 §2.2.3: name, value offset and unfolded value of a folded field")
  void parse_foldedField_exposesNameAndUnfoldedValue() {
    ParsedHeader h = PARSER.parse(bytes("Subject \t: hello\r\n  world\r\n\r\n"));
    HeaderField f = h.fields().get(0);
    assertThat(f.name()).isEqualTo("Subject");
    assertThat(f.valueOffset()).isEqualTo(10);
    assertThat(f.value()).isEqualTo(" hello  world");
    assertThat(f.rawBuffer().remaining()).isEqualTo(f.rawLength());
    assertThat(f.rawBuffer().isReadOnly()).isTrue();
  }

  @Test
  @DisplayName("problem offsets point at the offending line")
  void parse_problems_carryOffsets() {
    ParsedHeader h = PARSER.parse(bytes("A: 1\r\nbad\r\nB: \u0000\r\n"));
    assertThat(h.problem(Reason.MALFORMED_LINE)).map(HeaderProblem::offset).contains(6);
    assertThat(h.problem(Reason.NUL_BYTE)).map(HeaderProblem::offset).contains(14);
    assertThat(h.problem(Reason.BARE_CR)).isEmpty();
  }

  @Test
  @DisplayName("lookups by name ignore ASCII case and keep order")
  void lookups_anyCase_findAllInOrder() {
    ParsedHeader h =
        PARSER.parse(bytes("from: a\r\nTo: b\r\nFROM: c\r\nDKIM-Signature: x\r\n\r\n"));
    assertThat(h.fields("From")).extracting(HeaderField::value).containsExactly(" a", " c");
    assertThat(h.count("fRoM")).isEqualTo(2);
    assertThat(h.first("dkim-signature")).map(HeaderField::value).contains(" x");
    assertThat(h.first("Subject")).isEmpty();
    assertThat(h.count("Subject")).isZero();
  }

  @Test
  @DisplayName("header larger than the byte limit stops with HEADER_TOO_LARGE")
  void parse_overByteLimit_truncates() throws IOException {
    MessageHeaderParser p = MessageHeaderParser.withLimits(new HeaderLimits(20, 100));
    byte[] in = bytes("A: 1\r\nB: 2\r\nC: 3333333333\r\n\r\nbody");
    for (ParsedHeader h :
        List.of(
            p.parse(in),
            p.parse(new ByteArrayInputStream(in)),
            p.parse(new Unmarkable(new ByteArrayInputStream(in))))) {
      assertThat(h.isTruncated()).isTrue();
      assertThat(h.problem(Reason.HEADER_TOO_LARGE)).map(HeaderProblem::offset).contains(20);
      assertThat(h.fields()).extracting(HeaderField::name).containsExactly("A", "B");
      // The rest of the header is still scanned (for From fields), so the body is still found.
      assertThat(h.hasBodySeparator()).isTrue();
      assertThat(h.bodyOffset()).isEqualTo(29);
      assertThat(h.fromFieldCount()).isZero();
    }
  }

  @Test
  @DisplayName("a field ending exactly at the byte limit is dropped: it might continue")
  void parse_fieldEndingAtLimit_isDropped() {
    MessageHeaderParser p = MessageHeaderParser.withLimits(new HeaderLimits(12, 100));
    ParsedHeader h = p.parse(bytes("A: 1\r\nB: 2\r\n more\r\n\r\n"));
    assertThat(h.fields()).extracting(HeaderField::name).containsExactly("A");
    assertThat(h.isTruncated()).isTrue();
  }

  @Test
  @DisplayName("header that fits exactly in the byte limit is complete")
  void parse_headerExactlyAtLimit_isComplete() throws IOException {
    byte[] in = bytes("A: 1\r\nB: 2\r\n\r\nbody");
    MessageHeaderParser p = MessageHeaderParser.withLimits(new HeaderLimits(14, 100));
    assertThat(p.parse(in).isWellFormed()).isTrue();
    assertThat(p.parse(in).bodyOffset()).isEqualTo(14);
    ByteArrayInputStream s = new ByteArrayInputStream(in);
    assertThat(p.parse(s).bodyOffset()).isEqualTo(14);
    assertThat(s.readAllBytes()).isEqualTo(bytes("body"));
    MessageHeaderParser q = MessageHeaderParser.withLimits(new HeaderLimits(13, 100));
    assertThat(q.parse(in).problem(Reason.HEADER_TOO_LARGE)).isPresent();
  }

  @Test
  @DisplayName("more fields than the limit stops with TOO_MANY_FIELDS")
  void parse_overFieldLimit_truncates() {
    MessageHeaderParser p = MessageHeaderParser.withLimits(new HeaderLimits(1000, 2));
    ParsedHeader h = p.parse(bytes("A: 1\r\nB: 2\r\n x\r\nC: 3\r\n\r\n"));
    assertThat(h.fields()).extracting(HeaderField::name).containsExactly("A", "B");
    assertThat(h.problem(Reason.TOO_MANY_FIELDS)).map(HeaderProblem::offset).contains(16);
    assertThat(h.bodyOffset()).isEqualTo(24);
    assertThat(h.isTruncated()).isTrue();
    assertThat(p.parse(bytes("A: 1\r\nB: 2\r\n\r\n")).isWellFormed()).isTrue();
  }

  @Test
  @DisplayName("default limits are 1 MiB and 1000 fields; bad limits are rejected")
  void limits_defaultsAndValidation() {
    assertThat(HeaderLimits.defaults().maxHeaderBytes()).isEqualTo(1 << 20);
    assertThat(HeaderLimits.defaults().maxFields()).isEqualTo(1000);
    assertThat(MessageHeaderParser.create().limits()).isEqualTo(HeaderLimits.defaults());
    assertThatThrownBy(() -> new HeaderLimits(0, 1)).hasMessageContaining("was 0");
    assertThatThrownBy(() -> new HeaderLimits(1, -1)).hasMessageContaining("was -1");
  }

  @Test
  @DisplayName("long header read from a stream over many blocks stops at the blank line")
  void parseStream_headerSpanningBlocks_leavesBodyInStream() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 900; i++) {
      sb.append("X-Field-").append(i).append(": ").append("v".repeat(i % 70)).append("\r\n");
      if (i % 7 == 0) {
        sb.append("\tcontinued\n");
      }
    }
    String header = sb.toString();
    byte[] in = bytes(header + "\r\n" + "B".repeat(50_000));
    assertThat(header.length()).isGreaterThan(3 * MessageHeaderParser.BLOCK_SIZE);
    ByteArrayInputStream s = new ByteArrayInputStream(in);
    ParsedHeader h = PARSER.parse(s);
    assertThat(h.fields()).hasSize(900);
    assertThat(h.bodyOffset()).isEqualTo(header.length() + 2);
    assertThat(s.readAllBytes()).hasSize(50_000);
    ParsedHeader fromArray = PARSER.parse(in);
    assertThat(fromArray.fields().get(899).value()).isEqualTo(h.fields().get(899).value());
  }

  @Test
  @DisplayName("seeded fuzz: random bytes and truncations never throw, stream = array")
  void parse_randomInput_neverThrowsAndAgrees() throws IOException {
    Random rnd = new Random(0x5eed_2026L);
    byte[] alphabet = bytes("ab:: \t\r\n\r\n\u0000\u00ffFrom:xy;");
    String seedMsg = "From: a@b\r\nSubject: x\r\n y\r\nTo: c\n\r\nbody\r\n";
    MessageHeaderParser small = MessageHeaderParser.withLimits(new HeaderLimits(40, 5));
    for (int iter = 0; iter < 20_000; iter++) {
      byte[] in;
      if (iter % 2 == 0) {
        in = new byte[rnd.nextInt(80)];
        for (int i = 0; i < in.length; i++) {
          in[i] =
              rnd.nextInt(4) == 0
                  ? (byte) rnd.nextInt(256)
                  : alphabet[rnd.nextInt(alphabet.length)];
        }
      } else {
        byte[] m = bytes(seedMsg);
        in = Arrays.copyOf(m, rnd.nextInt(m.length + 1));
        if (in.length > 0 && rnd.nextBoolean()) {
          in[rnd.nextInt(in.length)] = (byte) rnd.nextInt(256);
        }
      }
      for (MessageHeaderParser p : List.of(PARSER, small)) {
        ParsedHeader a = p.parse(in);
        assertThat(a.bodyOffset()).isBetween(0, in.length);
        int sum = 0;
        for (HeaderField f : a.fields()) {
          sum += f.rawLength();
          assertThat(f.valueOffset()).isBetween(f.name().length() + 1, f.rawLength());
        }
        assertThat(sum).isLessThanOrEqualTo(a.bodyOffset());
        if (!a.isTruncated()) {
          ByteArrayInputStream s = new ByteArrayInputStream(in);
          ParsedHeader b = p.parse(s);
          assertThat(b.bodyOffset()).isEqualTo(a.bodyOffset());
          assertThat(b.problems()).isEqualTo(a.problems());
          assertThat(b.fields()).hasSameSizeAs(a.fields());
          assertThat(s.available()).isEqualTo(in.length - a.bodyOffset());
        }
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A stream that does not support mark, so the parser must not over-read. */
  private static final class Unmarkable extends FilterInputStream {
    Unmarkable(InputStream in) {
      super(in);
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
