// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.milter;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One packet of the mail filter protocol: a command (or reply) byte and its data.
 *
 * @param code the command or reply byte
 * @param data the bytes after it
 */
record MilterPacket(byte code, byte[] data) {

  /** Thrown for a packet the protocol does not allow: the connection is dropped. */
  static final class MalformedException extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message);
    }
  }

  /**
   * Reads one packet, or returns empty at a clean end of stream (before the first length byte).
   *
   * @param in the connection
   * @param maxLength the longest packet accepted (length field, command byte included)
   * @throws MalformedException if the length is 0 or over {@code maxLength}
   * @throws EOFException if the stream ends inside a packet
   */
  static Optional<MilterPacket> read(DataInputStream in, int maxLength) throws IOException {
    int b0 = in.read();
    if (b0 < 0) {
      return Optional.empty();
    }
    int length = (b0 << 24) | (in.readUnsignedByte() << 16) | in.readUnsignedShort();
    if (length <= 0 || length > maxLength) {
      throw new MalformedException(
          "packet length " + Integer.toUnsignedString(length) + " outside 1.." + maxLength);
    }
    byte code = in.readByte();
    byte[] data = new byte[length - 1];
    in.readFully(data);
    return Optional.of(new MilterPacket(code, data));
  }

  /** Writes one packet (not flushed). */
  static void write(OutputStream out, byte code, byte[] data) throws IOException {
    int length = data.length + 1;
    out.write(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8)});
    out.write(length);
    out.write(code);
    out.write(data);
  }

  /** The NUL-terminated strings of {@code data} (Latin-1, so every byte survives). */
  static List<String> strings(byte[] data, int offset) throws MalformedException {
    List<String> out = new ArrayList<>();
    int start = offset;
    for (int i = offset; i < data.length; i++) {
      if (data[i] == 0) {
        out.add(new String(data, start, i - start, StandardCharsets.ISO_8859_1));
        start = i + 1;
      }
    }
    if (start != data.length) {
      throw new MalformedException("string not terminated by NUL");
    }
    return out;
  }

  /** {@code s} in Latin-1 (bytes as they came) followed by a NUL. */
  static byte[] cstring(String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[b.length + 1];
    System.arraycopy(b, 0, out, 0, b.length);
    return out;
  }

  /** Big-endian four-byte integer at {@code offset}. */
  static int int32(byte[] data, int offset) {
    return ((data[offset] & 0xff) << 24)
        | ((data[offset + 1] & 0xff) << 16)
        | ((data[offset + 2] & 0xff) << 8)
        | (data[offset + 3] & 0xff);
  }

  static void putInt32(byte[] data, int offset, int value) {
    data[offset] = (byte) (value >>> 24);
    data[offset + 1] = (byte) (value >>> 16);
    data[offset + 2] = (byte) (value >>> 8);
    data[offset + 3] = (byte) value;
  }
}
