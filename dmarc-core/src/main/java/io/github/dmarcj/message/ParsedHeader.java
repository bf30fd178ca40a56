// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The header section of a message as {@link MessageHeaderParser} found it (RFC 5322 §2.1, §2.2):
 * the fields in order, each with its exact bytes, where the body starts, and what was wrong.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class ParsedHeader {
  private final List<HeaderField> fields;
  private final int bodyOffset;
  private final boolean bodySeparator;
  private final List<HeaderProblem> problems;
  private final List<HeaderField> lateFrom;
  private final int lateFromCount;
  private final boolean fromScanComplete;

  /**
   * A parsed header.
   *
   * @param fields the fields in the order received
   * @param bodyOffset offset of the first body byte, counted from the start of the input
   * @param bodySeparator whether an empty line ended the header
   * @param problems what was wrong, at most one entry per reason
   */
  public ParsedHeader(
      List<HeaderField> fields,
      int bodyOffset,
      boolean bodySeparator,
      List<HeaderProblem> problems) {
    this(fields, bodyOffset, bodySeparator, problems, List.of(), 0, true);
  }

  /**
   * A parsed header that a limit cut, with what was found past the cut.
   *
   * @param fields the fields before the cut, in the order received
   * @param bodyOffset offset of the first body byte, counted from the start of the input
   * @param bodySeparator whether an empty line ended the header
   * @param problems what was wrong, at most one entry per reason
   * @param lateFrom From fields found past the cut and kept, in order
   * @param lateFromCount every From field found past the cut, kept or not
   * @param fromScanComplete whether the whole header section was scanned for From fields
   * @throws IllegalArgumentException if {@code lateFromCount} is below the number kept
   */
  public ParsedHeader(
      List<HeaderField> fields,
      int bodyOffset,
      boolean bodySeparator,
      List<HeaderProblem> problems,
      List<HeaderField> lateFrom,
      int lateFromCount,
      boolean fromScanComplete) {
    this.fields = List.copyOf(fields);
    this.lateFrom = List.copyOf(lateFrom);
    if (lateFromCount < this.lateFrom.size()) {
      throw new IllegalArgumentException(
          "From count " + lateFromCount + " is below the " + this.lateFrom.size() + " kept");
    }
    this.lateFromCount = lateFromCount;
    this.fromScanComplete = fromScanComplete;
    if (bodyOffset < 0) {
      throw new IllegalArgumentException("body offset must not be negative, was " + bodyOffset);
    }
    this.bodyOffset = bodyOffset;
    this.bodySeparator = bodySeparator;
    this.problems = List.copyOf(problems);
  }

  /** {@return all fields, top to bottom, as received} */
  public List<HeaderField> fields() {
    return fields;
  }

  /**
   * {@return the fields named {@code name} (ASCII case-insensitive), top to bottom}
   *
   * @param name the field name
   */
  public List<HeaderField> fields(String name) {
    Objects.requireNonNull(name, "name");
    List<HeaderField> out = new ArrayList<>(2);
    for (HeaderField f : fields) {
      if (f.hasName(name)) {
        out.add(f);
      }
    }
    return List.copyOf(out);
  }

  /**
   * {@return the top-most field named {@code name} (ASCII case-insensitive)}
   *
   * @param name the field name
   */
  public Optional<HeaderField> first(String name) {
    Objects.requireNonNull(name, "name");
    for (HeaderField f : fields) {
      if (f.hasName(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /**
   * {@return every From field of the header section that could be kept, top to bottom: those in
   * {@link #fields()} and, when a limit cut the header ({@link #isTruncated()}), those found below
   * the cut} A From field past the cut is kept up to 64 KiB and at most 8 of them; {@link
   * #fromFieldCount()} counts them all. No number of fields and no field size can hide a From field
   * from this list or that count (RFC 5322 §3.6.2).
   */
  public List<HeaderField> fromFields() {
    List<HeaderField> before = fields("From");
    if (lateFrom.isEmpty()) {
      return before;
    }
    List<HeaderField> all = new ArrayList<>(before);
    all.addAll(lateFrom);
    return List.copyOf(all);
  }

  /**
   * {@return how many From fields the whole header section has, including any past a limit and any
   * too large to keep} Exact when {@link #fromScanComplete()}.
   */
  public int fromFieldCount() {
    return count("From") + lateFromCount;
  }

  /**
   * {@return whether the whole header section was searched for From fields; false only when a
   * header cut by a limit went on for about 2 GiB, so further From fields may exist}
   */
  public boolean fromScanComplete() {
    return fromScanComplete;
  }

  /**
   * {@return how many fields are named {@code name} (ASCII case-insensitive)}
   *
   * @param name the field name
   */
  public int count(String name) {
    Objects.requireNonNull(name, "name");
    int n = 0;
    for (HeaderField f : fields) {
      if (f.hasName(name)) {
        n++;
      }
    }
    return n;
  }

  /**
   * {@return offset of the first body byte, counted from the start of the input: just after the
   * empty separator line, or the end of the input when there is no body} When a limit cut the
   * header, the rest of it was still scanned for From fields, so this is still where the body
   * starts. For {@link MessageHeaderParser#parse(java.io.InputStream)} this is the number of bytes
   * consumed from the stream.
   */
  public int bodyOffset() {
    return bodyOffset;
  }

  /** {@return true if an empty line ended the header; false if the input ended first (no body)} */
  public boolean hasBodySeparator() {
    return bodySeparator;
  }

  /** {@return what was wrong, in the order first seen; empty for a well-formed header} */
  public List<HeaderProblem> problems() {
    return problems;
  }

  /**
   * {@return the problem of this kind, if it occurred}
   *
   * @param reason the kind of problem
   */
  public Optional<HeaderProblem> problem(HeaderProblem.Reason reason) {
    for (HeaderProblem p : problems) {
      if (p.reason() == reason) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** {@return true if nothing was wrong} */
  public boolean isWellFormed() {
    return problems.isEmpty();
  }

  /** {@return true if a limit stopped parsing, so some fields may be missing} */
  public boolean isTruncated() {
    for (HeaderProblem p : problems) {
      if (p.reason().truncating()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "ParsedHeader[fields="
        + fields.size()
        + ", bodyOffset="
        + bodyOffset
        + ", bodySeparator="
        + bodySeparator
        + ", problems="
        + problems
        + (lateFromCount > 0 ? ", fromPastLimit=" + lateFromCount : "")
        + "]";
  }
}
