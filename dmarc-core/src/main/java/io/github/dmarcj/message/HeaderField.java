// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One header field of a message, exactly as it arrived.
 *
 * <p>{@link #raw()} holds the field's bytes from the first character of its name up to and
 * including the line ending of its last line (folding kept; a bare LF stays a bare LF). {@link
 * #name()} is the field name as written; {@link #value()} is the unfolded value: the text after the
 * colon with line breaks that precede whitespace removed, decoded as ISO-8859-1 so every byte maps
 * to one char (8-bit bytes survive).
 */
public final class HeaderField {
  private final String name;
  private final byte[] raw;
  private final int valueOffset;

  /**
   * A field from its raw bytes and the offset of the first byte after the colon.
   *
   * @param name the field name as written
   * @param raw the raw bytes of the field, including the trailing line ending
   * @param valueOffset the offset in {@code raw} of the first byte after the colon
   * @throws IllegalArgumentException if {@code valueOffset} is out of range
   */
  public HeaderField(String name, byte[] raw, int valueOffset) {
    this.name = Objects.requireNonNull(name, "name");
    this.raw = Objects.requireNonNull(raw, "raw").clone();
    if (valueOffset < 0 || valueOffset > raw.length) {
      throw new IllegalArgumentException("value offset out of range: " + valueOffset);
    }
    this.valueOffset = valueOffset;
  }

  @SuppressWarnings("UnusedVariable") // owned only tells this constructor from the public one
  private HeaderField(String name, byte[] raw, int valueOffset, boolean owned) {
    this.name = name;
    this.raw = raw;
    this.valueOffset = valueOffset;
  }

  /** A field that takes ownership of {@code raw} without copying; for the parser. */
  static HeaderField owning(String name, byte[] raw, int valueOffset) {
    return new HeaderField(name, raw, valueOffset, true);
  }

  /** {@return the field name as written (not case-folded)} */
  public String name() {
    return name;
  }

  /**
   * {@return true if the field's name is {@code other}, ignoring ASCII case}
   *
   * @param other a field name
   */
  public boolean hasName(String other) {
    return name.equalsIgnoreCase(other);
  }

  /** {@return a copy of the raw bytes including the trailing line ending} */
  public byte[] raw() {
    return raw.clone();
  }

  /** {@return length of the raw bytes} */
  public int rawLength() {
    return raw.length;
  }

  /**
   * {@return raw byte at {@code index}, without copying}
   *
   * @param index an index from 0 to {@link #rawLength()} - 1
   */
  public byte rawByte(int index) {
    return raw[index];
  }

  /** {@return the raw bytes including the trailing line ending, as a read-only view (no copy)} */
  public ByteBuffer rawBuffer() {
    return ByteBuffer.wrap(raw).asReadOnlyBuffer();
  }

  /** {@return offset in {@link #raw()} of the first byte after the colon} */
  public int valueOffset() {
    return valueOffset;
  }

  /** {@return the unfolded value without the trailing line ending; leading whitespace is kept} */
  public String value() {
    StringBuilder sb = new StringBuilder(raw.length - valueOffset);
    for (int i = valueOffset; i < raw.length; i++) {
      byte b = raw[i];
      if (b == '\r' || b == '\n') {
        continue;
      }
      sb.append((char) (b & 0xFF));
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return new String(raw, StandardCharsets.ISO_8859_1);
  }
}
