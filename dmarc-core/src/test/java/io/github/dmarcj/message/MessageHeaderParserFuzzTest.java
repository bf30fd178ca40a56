// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.dmarcj.fuzz.FuzzBounds;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the RFC 5322 header splitter through its byte-array and stream entry points. Seeds: {@code
 * MessageHeaderParserFuzzTestInputs/<method>/} (examples/ and DKIM vector messages).
 */
@Tag("fuzz")
final class MessageHeaderParserFuzzTest {
  private static final MessageHeaderParser DEFAULT = MessageHeaderParser.create();

  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void parse_anyBytes_fieldsAreExactSlicesOfTheInput(byte[] input) {
    ParsedHeader h = FuzzBounds.allocationBounded(input.length, 16, () -> DEFAULT.parse(input));
    checkWellFormed(input, h, DEFAULT.limits());

    // The same header from an offset inside a larger array: offsets count from the offset.
    byte[] padded = new byte[input.length + 7];
    System.arraycopy(input, 0, padded, 3, input.length);
    ParsedHeader shifted = DEFAULT.parse(padded, 3, input.length);
    assertSame(h, shifted);

    // The stream entry points read the same fields and consume exactly the header.
    for (boolean markable : new boolean[] {true, false}) {
      InputStream in = new ByteArrayInputStream(input);
      if (!markable) {
        in = unmarkable(in);
      }
      ParsedHeader streamed = parseStream(DEFAULT, in);
      assertSame(h, streamed);
      assertThat(remaining(in))
          .as("bytes left after the header")
          .isEqualTo(input.length - h.bodyOffset());
    }
  }

  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void parse_smallLimits_stopsWithinTheLimits(byte[] input) {
    int hash = Arrays.hashCode(input) & 0x7fffffff;
    HeaderLimits limits = new HeaderLimits(1 + hash % (input.length + 2), 1 + (hash >>> 8) % 6);
    MessageHeaderParser parser = MessageHeaderParser.withLimits(limits);
    ParsedHeader h = parser.parse(input);
    checkWellFormed(input, h, limits);
    ParsedHeader streamed = parseStream(parser, new ByteArrayInputStream(input));
    assertThat(names(streamed.fields())).isEqualTo(names(h.fields()));
    if (!h.isTruncated()) {
      assertSame(h, streamed);
    }
  }

  /** What holds for any parse result of {@code input}. */
  static void checkWellFormed(byte[] input, ParsedHeader h, HeaderLimits limits) {
    int n = input.length;
    assertThat(h.bodyOffset()).isBetween(0, n);
    assertThat(h.fields().size()).isLessThanOrEqualTo(limits.maxFields());
    for (HeaderProblem p : h.problems()) {
      assertThat(p.offset()).as("offset of %s", p).isBetween(0, n);
    }
    assertThat(h.problems().stream().map(HeaderProblem::reason).distinct().count())
        .isEqualTo(h.problems().size());
    // Every field is a run of input bytes, in order, before the body.
    int from = 0;
    long total = 0;
    for (HeaderField f : h.fields()) {
      byte[] raw = f.raw();
      int at = indexOf(input, raw, from);
      assertThat(at)
          .as("field %s found in the input at or after %d", f.name(), from)
          .isGreaterThanOrEqualTo(0);
      from = at + raw.length;
      total += raw.length;
      assertThat(f.valueOffset()).isBetween(f.name().length() + 1, raw.length);
      assertThat(raw[f.valueOffset() - 1]).isEqualTo((byte) ':');
      assertThat(
              new String(raw, 0, f.name().length(), java.nio.charset.StandardCharsets.ISO_8859_1))
          .isEqualTo(f.name());
      assertThat(f.name()).isNotEmpty().doesNotContain(":", " ", "\t");
      assertThat(f.value()).doesNotContain("\r", "\n");
    }
    assertThat(from).as("end of the last field").isLessThanOrEqualTo(h.bodyOffset());
    assertThat(total).isLessThanOrEqualTo(Math.min(n, limits.maxHeaderBytes()));
    if (h.hasBodySeparator()) {
      assertThat(h.bodyOffset()).isPositive();
      assertThat(input[h.bodyOffset() - 1]).isEqualTo((byte) '\n');
    } else if (!h.isTruncated()) {
      assertThat(h.bodyOffset())
          .as("no separator and no limit: the whole input is header")
          .isEqualTo(n);
    }
    // A limit cuts the field list, never the search for From fields: they are counted as a
    // parse without limits counts them, and every one kept is a run of input bytes.
    if (h.fromScanComplete()) {
      ParsedHeader unlimited =
          MessageHeaderParser.withLimits(new HeaderLimits(n + 1, Integer.MAX_VALUE)).parse(input);
      assertThat(h.fromFieldCount()).as("From fields").isEqualTo(unlimited.count("From"));
      assertThat(h.hasBodySeparator()).isEqualTo(unlimited.hasBodySeparator());
      assertThat(h.bodyOffset()).isEqualTo(unlimited.bodyOffset());
    }
    for (HeaderField f : h.fromFields()) {
      assertThat(f.hasName("From")).isTrue();
      assertThat(indexOf(input, f.raw(), 0))
          .as("From field in the input")
          .isGreaterThanOrEqualTo(0);
    }
    if (h.isWellFormed()) {
      // Rendering the fields back gives the header bytes: nothing was skipped or changed.
      int sepLength =
          h.hasBodySeparator()
              ? (h.bodyOffset() >= 2 && input[h.bodyOffset() - 2] == '\r' ? 2 : 1)
              : 0;
      assertThat(total)
          .as("fields plus separator cover the header")
          .isEqualTo(h.bodyOffset() - sepLength);
    }
  }

  private static void assertSame(ParsedHeader expected, ParsedHeader actual) {
    assertThat(actual.bodyOffset()).isEqualTo(expected.bodyOffset());
    assertThat(actual.hasBodySeparator()).isEqualTo(expected.hasBodySeparator());
    assertThat(actual.problems()).isEqualTo(expected.problems());
    assertThat(actual.fields().size()).isEqualTo(expected.fields().size());
    for (int i = 0; i < expected.fields().size(); i++) {
      assertThat(actual.fields().get(i).raw()).isEqualTo(expected.fields().get(i).raw());
      assertThat(actual.fields().get(i).valueOffset())
          .isEqualTo(expected.fields().get(i).valueOffset());
    }
  }

  private static List<String> names(List<HeaderField> fields) {
    return fields.stream().map(HeaderField::name).toList();
  }

  private static ParsedHeader parseStream(MessageHeaderParser parser, InputStream in) {
    try {
      return parser.parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int remaining(InputStream in) {
    try {
      return in.readAllBytes().length;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream unmarkable(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public boolean markSupported() {
        return false;
      }
    };
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
