// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Byte-exact canonicalization tables (RFC 6376 §3.4.1 to §3.4.4, and the optional bare-LF step of
 * §3.8).
 */
final class CanonicalizationTest {

  /** Test notation: \r \n \t spelled as "\\r" "\\n" "\\t"; '|' separates nothing. */
  static byte[] b(String s) {
    return s.replace("\\r", "\r")
        .replace("\\n", "\n")
        .replace("\\t", "\t")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  static String show(byte[] x) {
    return new String(x, StandardCharsets.ISO_8859_1)
        .replace("\r", "\\r")
        .replace("\n", "\\n")
        .replace("\t", "\\t");
  }

  /** Canonical body through the streaming hasher, fed in chunks of {@code chunk} bytes. */
  static byte[] body(DkimCanonicalization c, byte[] in, int chunk, boolean fixLf) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MessageDigest capture =
        new MessageDigest("capture") {
          @Override
          protected void engineUpdate(byte input) {
            out.write(input);
          }

          @Override
          protected void engineUpdate(byte[] input, int offset, int len) {
            out.write(input, offset, len);
          }

          @Override
          protected byte[] engineDigest() {
            return new byte[0];
          }

          @Override
          protected void engineReset() {}
        };
    BodyHasher h =
        BodyHasher.create(c, new BodyHasher.Sink[] {new BodyHasher.Sink(capture, -1)}, fixLf);
    for (int i = 0; i < in.length; i += chunk) {
      h.update(in, i, Math.min(chunk, in.length - i));
    }
    h.finish();
    assertThat(h.canonicalLength()).isEqualTo(out.size());
    return out.toByteArray();
  }

  @ParameterizedTest(name = "RFC 6376 §3.4.3: simple body [{0}] -> [{1}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "''| \\r\\n",
        "\\r\\n| \\r\\n",
        "\\r\\n\\r\\n\\r\\n| \\r\\n",
        "abc| abc\\r\\n",
        "abc\\r\\n| abc\\r\\n",
        "abc\\r\\n\\r\\n\\r\\n| abc\\r\\n",
        "\\r\\nabc\\r\\n\\r\\n| \\r\\nabc\\r\\n",
        "a  b \\t\\r\\n\\r\\nc\\r\\n| a  b \\t\\r\\n\\r\\nc\\r\\n",
        "abc \\r\\n \\r\\n| abc \\r\\n \\r\\n",
        "abc\\r| abc\\r\\r\\n",
        "abc\\r\\r\\n| abc\\r\\r\\n",
        "abc\\n\\n| abc\\n\\n\\r\\n",
      },
      ignoreLeadingAndTrailingWhitespace = true)
  void simpleBody_table_matches(String in, String expected) {
    for (int chunk : new int[] {1, 2, 3, 7, 1000}) {
      assertThat(show(body(DkimCanonicalization.SIMPLE, b(in), chunk, false)))
          .as("chunk %d", chunk)
          .isEqualTo(show(b(expected)));
    }
  }

  @ParameterizedTest(name = "RFC 6376 §3.4.4: relaxed body [{0}] -> [{1}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "''| ''",
        "\\r\\n| ''",
        " \\t \\r\\n\\r\\n| ''",
        "abc| abc\\r\\n",
        "abc  \\r\\n| abc\\r\\n",
        "a \\t b\\r\\n| a b\\r\\n",
        "\\tab\\r\\n| ' ab\\r\\n'",
        "abc\\r\\n\\r\\n \\r\\n\\t\\r\\n| abc\\r\\n",
        "a\\r\\n\\r\\nb\\r\\n| a\\r\\n\\r\\nb\\r\\n",
        "a\\r\\n \\r\\nb| a\\r\\n\\r\\nb\\r\\n",
        "a \\rb| a \\rb\\r\\n",
        "abc \\r| abc \\r\\r\\n",
        "a\\nb \\n| a\\nb \\n\\r\\n",
        "x.y \\t| x.y\\r\\n",
      },
      ignoreLeadingAndTrailingWhitespace = true)
  void relaxedBody_table_matches(String in, String expected) {
    for (int chunk : new int[] {1, 2, 3, 7, 1000}) {
      assertThat(show(body(DkimCanonicalization.RELAXED, b(in), chunk, false)))
          .as("chunk %d", chunk)
          .isEqualTo(show(b(expected)));
    }
  }

  @Test
  @DisplayName(
      "RFC 6376 §3.4.3 and §3.4.4: empty body hashes: simple = SHA-256(CRLF), relaxed = SHA-256('')")
  void emptyBody_hashes_matchSpec() throws Exception {
    assertThat(
            Base64.getEncoder()
                .encodeToString(
                    MessageDigest.getInstance("SHA-256")
                        .digest(body(DkimCanonicalization.SIMPLE, new byte[0], 1, false))))
        .isEqualTo("frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=");
    assertThat(
            Base64.getEncoder()
                .encodeToString(
                    MessageDigest.getInstance("SHA-256")
                        .digest(body(DkimCanonicalization.RELAXED, new byte[0], 1, false))))
        .isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  }

  @Test
  @DisplayName(
      "RFC 6376 §3.8: bare LF normalization (opt-in) turns LF into CRLF across chunk edges")
  void bareLf_normalized_whenEnabled() {
    for (int chunk : new int[] {1, 2, 5, 100}) {
      assertThat(show(body(DkimCanonicalization.SIMPLE, b("a\\nb\\r\\nc\\n\\n\\n"), chunk, true)))
          .isEqualTo("a\\r\\nb\\r\\nc\\r\\n");
      assertThat(show(body(DkimCanonicalization.RELAXED, b("a \\n\\nb  \\n"), chunk, true)))
          .isEqualTo("a\\r\\n\\r\\nb\\r\\n");
    }
  }

  // ---- reference implementations, line by line, written straight from RFC 6376 §3.4.3/§3.4.4

  static byte[] referenceSimple(byte[] in) {
    String s = new String(in, StandardCharsets.ISO_8859_1);
    while (s.endsWith("\r\n\r\n")) {
      s = s.substring(0, s.length() - 2);
    }
    if (s.equals("\r\n")) {
      return b("\\r\\n");
    }
    if (!s.endsWith("\r\n")) {
      s = s + "\r\n";
    }
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] referenceRelaxed(byte[] in) {
    String s = new String(in, StandardCharsets.ISO_8859_1);
    String[] lines = s.split("\r\n", -1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].replaceAll("[ \t]+", " ");
      line = line.replaceAll(" \\z", "");
      sb.append(line);
      if (i < lines.length - 1) {
        sb.append("\r\n");
      }
    }
    String out = sb.toString();
    while (out.endsWith("\r\n\r\n")) {
      out = out.substring(0, out.length() - 2);
    }
    if (out.equals("\r\n")) {
      out = "";
    }
    if (!out.isEmpty() && !out.endsWith("\r\n")) {
      out += "\r\n";
    }
    return out.getBytes(StandardCharsets.ISO_8859_1);
  }

  @ParameterizedTest(
      name =
          "RFC 6376 §3.4.3 and §3.4.4: random bodies, seed {0}: streaming = reference, any chunking")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void randomBodies_streaming_matchesReference(long seed) {
    Random rnd = new Random(seed);
    byte[] alphabet = b("ab \\t\\r\\n\\r\\n\\r\\nxyz.\\n\\r");
    for (int round = 0; round < 200; round++) {
      byte[] in = new byte[rnd.nextInt(round % 2 == 0 ? 60 : 300)];
      for (int i = 0; i < in.length; i++) {
        in[i] = alphabet[rnd.nextInt(alphabet.length)];
      }
      // Lone CR and LF are content for both the reference and the streaming form, except that the
      // reference cannot express a CR right before a CRLF; keep those inputs out.
      String str = new String(in, StandardCharsets.ISO_8859_1);
      if (str.contains("\r\r\n") || str.endsWith("\r")) {
        continue;
      }
      int chunk = 1 + rnd.nextInt(round % 3 == 0 ? 400 : 8);
      assertThat(show(body(DkimCanonicalization.SIMPLE, in, chunk, false)))
          .as("simple %s", show(in))
          .isEqualTo(show(referenceSimple(in)));
      assertThat(show(body(DkimCanonicalization.RELAXED, in, chunk, false)))
          .as("relaxed %s", show(in))
          .isEqualTo(show(referenceRelaxed(in)));
    }
  }

  static String header(DkimCanonicalization c, String field) {
    byte[] raw = b(field);
    ByteBuf out = new ByteBuf(64);
    int len = HeaderCanonicalizer.withoutLineEnding(raw, raw.length);
    HeaderCanonicalizer.canonicalize(c, raw, 0, len, out, true, false);
    return show(out.toArray());
  }

  @ParameterizedTest(name = "RFC 6376 §3.4.2: relaxed header [{0}] -> [{1}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "Subject: Hello\\r\\n|subject:Hello\\r\\n",
        "SUBJECT :  Hello  World \\t\\r\\n|subject:Hello World\\r\\n",
        "Subject:\\r\\n\\tfolded\\r\\n  more\\r\\n|subject:folded more\\r\\n",
        "X-Empty:\\r\\n|x-empty:\\r\\n",
        "X-Empty:   \\r\\n|x-empty:\\r\\n",
        "From: J\u00f6 <j@example.com>\\r\\n|from:J\u00f6 <j@example.com>\\r\\n",
        "\u00c4bc: x\\r\\n|\u00c4bc:x\\r\\n",
      },
      ignoreLeadingAndTrailingWhitespace = false)
  void relaxedHeader_table_matches(String in, String expected) {
    assertThat(header(DkimCanonicalization.RELAXED, in)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "RFC 6376 §3.4.1: simple header [{0}] unchanged")
  @ValueSource(strings = {"Subject:  Hello \\r\\n", "SUBJECT :x\\r\\n\\tfold \\r\\n"})
  void simpleHeader_unchanged(String in) {
    assertThat(header(DkimCanonicalization.SIMPLE, in)).isEqualTo(in);
  }
}
