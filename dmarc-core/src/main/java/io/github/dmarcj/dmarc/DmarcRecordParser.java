// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import java.util.Objects;

/**
 * Parses the text of a DMARC TXT record (RFC 9989 §4.7, §4.8 and §4.10.1, RFC 7489 §6.3–6.4).
 *
 * <p>The parser is lenient where the RFCs ask for leniency: unknown tags are ignored, a tag with an
 * invalid value falls back to its default, and each such finding is listed in {@link
 * DmarcRecord#problems()}. Only a text that does not start with {@code v=DMARC1} (exact case) is
 * refused, because such a TXT record is not a DMARC record at all. Stateless and thread-safe.
 *
 * <pre>{@code
 * DmarcRecordParser.Result r = DmarcRecordParser.parse("v=DMARC1; p=reject; rua=mailto:a@example.com");
 * if (r instanceof DmarcRecordParser.Parsed parsed) {
 *   DmarcRecord record = parsed.record();
 * }
 * }</pre>
 */
public final class DmarcRecordParser {
  /** Longest record text parsed; longer texts are refused with {@link NotDmarcReason#TOO_LONG}. */
  public static final int MAX_RECORD_LENGTH = 8192;

  /** Most URIs kept per {@code rua} or {@code ruf} tag; the rest are dropped with a problem. */
  public static final int MAX_URIS_PER_TAG = 16;

  private DmarcRecordParser() {}

  /**
   * Parses {@code text}, the TXT record with its character-strings joined.
   *
   * @param text the record text
   * @return the record, or why the text is not one
   */
  public static Result parse(String text) {
    Objects.requireNonNull(text, "text");
    return RecordParsing.parse(text);
  }

  /**
   * {@return true if {@code text} starts like a DMARC record ({@code v=DMARC1}, RFC 9989 §4.7)}
   *
   * @param text a TXT record text
   */
  public static boolean looksLikeDmarc(String text) {
    return RecordParsing.startsWithVersion(text);
  }

  /** The outcome of parsing: a record, or the reason the text is not one. */
  public sealed interface Result permits Parsed, NotDmarc {}

  /**
   * The text is a DMARC record.
   *
   * @param record the parsed record
   */
  public record Parsed(DmarcRecord record) implements Result {
    /**
     * Checks that the record is present.
     *
     * @param record the parsed record
     */
    public Parsed {
      Objects.requireNonNull(record, "record");
    }
  }

  /**
   * The text is not a DMARC record and is discarded (RFC 9989 §4.7).
   *
   * @param reason why the text is not a DMARC record
   * @param detail a short description for logs, possibly empty
   */
  public record NotDmarc(NotDmarcReason reason, String detail) implements Result {
    /**
     * Checks that reason and detail are present.
     *
     * @param reason why the text is not a DMARC record
     * @param detail a short description for logs, possibly empty
     */
    public NotDmarc {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** Why a text is not a DMARC record. */
  public enum NotDmarcReason {
    /** The first tag is not {@code v}. */
    NO_VERSION_TAG,
    /** The {@code v} tag is not exactly {@code DMARC1}. */
    WRONG_VERSION,
    /** Longer than {@link #MAX_RECORD_LENGTH}. */
    TOO_LONG
  }
}
