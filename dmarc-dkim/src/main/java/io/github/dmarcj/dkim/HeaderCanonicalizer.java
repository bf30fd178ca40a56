// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

/**
 * Header field canonicalization over bytes (RFC 6376 §3.4.1 and §3.4.2), byte for byte. Input is
 * one field from the first byte of its name to the end of its last line, <em>without</em> the final
 * line ending.
 */
final class HeaderCanonicalizer {
  private HeaderCanonicalizer() {}

  /** Length of {@code raw[0..len)} without a trailing CRLF or LF. */
  static int withoutLineEnding(byte[] raw, int len) {
    if (len > 0 && raw[len - 1] == '\n') {
      len--;
      if (len > 0 && raw[len - 1] == '\r') {
        len--;
      }
    }
    return len;
  }

  /**
   * Appends the canonical form of {@code field[off..off+len)} to {@code out}, followed by CRLF when
   * {@code terminate}. With {@code fixLf}, a bare LF inside a folded field counts as CRLF.
   */
  static void canonicalize(
      DkimCanonicalization c,
      byte[] field,
      int off,
      int len,
      ByteBuf out,
      boolean terminate,
      boolean fixLf) {
    if (c == DkimCanonicalization.SIMPLE) {
      simple(field, off, len, out, fixLf);
    } else {
      relaxed(field, off, len, out);
    }
    if (terminate) {
      out.put((byte) '\r');
      out.put((byte) '\n');
    }
  }

  private static void simple(byte[] f, int off, int len, ByteBuf out, boolean fixLf) {
    if (!fixLf) {
      out.put(f, off, len);
      return;
    }
    int end = off + len;
    for (int i = off; i < end; i++) {
      byte b = f[i];
      if (b == '\n' && (i == off || f[i - 1] != '\r')) {
        out.put((byte) '\r');
      }
      out.put(b);
    }
  }

  private static void relaxed(byte[] f, int off, int len, ByteBuf out) {
    int end = off + len;
    int colon = -1;
    for (int i = off; i < end; i++) {
      if (f[i] == ':') {
        colon = i;
        break;
      }
    }
    if (colon < 0) {
      // Not a well-formed field; canonicalize it as a name-less value.
      colon = off - 1;
    }
    // Field name: lower case (ASCII only, RFC 8616 §5), whitespace before the colon removed.
    int nameEnd = colon;
    while (nameEnd > off && isWspOrEol(f[nameEnd - 1])) {
      nameEnd--;
    }
    for (int i = off; i < nameEnd; i++) {
      byte b = f[i];
      if (b >= 'A' && b <= 'Z') {
        b = (byte) (b + 32);
      }
      out.put(b);
    }
    if (colon >= off) {
      out.put((byte) ':');
    }
    // Value: unfold, collapse WSP runs to one SP, drop leading and trailing WSP.
    boolean pendingSpace = false;
    boolean started = false;
    for (int i = colon + 1; i < end; i++) {
      byte b = f[i];
      if (b == ' ' || b == '\t') {
        pendingSpace = true;
      } else if (b == '\r' || b == '\n') {
        // Unfolding removes the line break; the WSP after it is collapsed as usual.
      } else {
        if (pendingSpace && started) {
          out.put((byte) ' ');
        }
        pendingSpace = false;
        started = true;
        out.put(b);
      }
    }
  }

  private static boolean isWspOrEol(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
  }
}
